/* igf-mapper map page. Every value from the data is text: it reaches the page only through
   textContent, DOM properties and canvas text (fillText), never as HTML markup.

   One function decides how everything looks (restyle): which entities and relations the filters,
   the gap rules and the date keep; which are highlighted (click, hover, search) and which are
   dimmed. Every control changes the state, then calls it. The page draws the labels itself after
   vis-network has drawn (drawLabels): which fit is decided there (placeLabels), whenever the view
   moves or the highlight changes. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("igfmap-data").textContent);
  var meta = data.meta;
  var engagement = meta.view === "engagement";
  var state = {
    ready: false, data: data, network: null, nodes: null, edges: null, card: null,
    highlight: null, hover: null, hoverId: null, query: "", date: meta.as_of || "", collapsed: {}, labels: {},
    placed: [], labelsDirty: true,
    shownNodes: {}, shownRelations: {}, shownEdges: {}
  };
  window.igfmap = state;

  var entities = data.entities, relations = data.relations, sources = data.sources;
  var findings = data.findings || [];
  var members = data.members || {};
  var SCREEN_FONT = 14;
  var RESERVED = 24;  // how many of the most important nodes no other label may cover
  var HUB_RINGS = 4;  // rings of places those try for their labels (the others try one)
  var TEXT = "#1a202c", DIM_TEXT = "rgba(26,32,44,0.22)";

  var el = igfmapCard.el, link = igfmapCard.link;  // card.js
  function list(value) {
    return Array.isArray(value) ? value.join(", ") : value;
  }
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function nameOf(id) {
    var ent = entities[id];
    return ent ? ent.name || id : id;
  }
  function tooltip(lines) {
    var box = el("div");
    lines.forEach(function (line, i) {
      if (!line) return;
      box.appendChild(el(i === 0 ? "b" : "div", line));
    });
    return box;
  }
  function keysOf(edgeId) {
    return members[edgeId] || [edgeId];
  }
  function ids(set) {
    return Object.keys(set).filter(function (k) { return set[k]; });
  }

  // --- what every node and edge looks like when nothing is highlighted --------------------------
  var base = {}, baseEdge = {}, neighbours = {}, rankOf = {};
  data.nodes.forEach(function (node) {
    var ent = entities[node.id];
    base[node.id] = { color: node.color, borderWidth: node.borderWidth, size: node.size || 10, label: node.label };
    neighbours[node.id] = {};
    var extra = ent.findings ? ent.findings.length + " gap finding(s)" : "";
    var gap = ent.gap === "uncovered" ? "gap: no ecosystem actor engages on it" :
      ent.gap === "unengaged" ? "gap: engages on nothing here" : "";
    node.title = tooltip([ent.name, ent.type + (ent.stakeholder_group ? " · " + ent.stakeholder_group : ""), gap, extra]);
  });
  data.edges.forEach(function (edge) {
    baseEdge[edge.id] = { color: edge.color, width: edge.width, from: edge.from, to: edge.to };
    neighbours[edge.from][edge.to] = true;
    neighbours[edge.to][edge.from] = true;
    var lines = [];
    keysOf(edge.id).forEach(function (key, i) {
      var rel = relations[key];
      if (i === 0) lines.push(nameOf(rel.source) + " → " + nameOf(rel.target));
      lines.push(rel.type + (rel.role ? " · " + rel.role : "") + " · " + (rel.status || "active") +
        (rel.since ? " · since " + rel.since : "") + (rel.until ? " · until " + rel.until : ""));
    });
    edge.title = tooltip(lines);
  });
  (data.rank || []).forEach(function (id, i) { rankOf[id] = i; });

  // Every node and edge starts in the plain style (nothing hidden or highlighted, no label yet).
  var sentNode = {}, sentEdge = {};
  data.nodes.forEach(function (node) {
    state.shownNodes[node.id] = true;
    var style = nodeStyle(node.id, null);
    changed(sentNode, node.id, style);
    Object.assign(node, style);
  });
  data.edges.forEach(function (edge) {
    state.shownEdges[edge.id] = true;
    var style = edgeStyle(edge.id, null, null);
    changed(sentEdge, edge.id, style);
    Object.assign(edge, style);
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;

  // --- which entities and relations the filters, gap rules and date keep -----------------------
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var gapMembers = {};
  findings.forEach(function (f) {
    gapMembers[f.rule] = gapMembers[f.rule] || {};
    f.subjects.forEach(function (s) { gapMembers[f.rule][s] = true; });
  });
  function validOn(record, low, high, day) {
    if (!day) return true;
    if (record[low] && String(record[low]) > day) return false;
    return !(record[high] && String(record[high]) < day);
  }
  function readFilters() {
    var on = { type: {}, relation: {}, status: {}, gap: {} };
    var gapRules = [];
    boxes.forEach(function (box) {
      on[box.getAttribute("data-filter")][box.value] = box.checked;
      if (box.getAttribute("data-filter") === "gap" && box.checked) gapRules.push(box.value);
    });
    on.gapRules = gapRules;
    return on;
  }
  function computeVisible() {
    var on = readFilters(), day = state.date;
    var shown = {}, shownRel = {}, shownEdge = {}, nNodes = 0, nRel = 0;
    Object.keys(entities).forEach(function (id) {
      var ent = entities[id];
      var visible = on.type[ent.type] !== false && validOn(ent, "valid_from", "valid_to", day);
      if (visible && on.gapRules.length) {
        visible = on.gapRules.some(function (rule) { return gapMembers[rule] && gapMembers[rule][id]; });
      }
      shown[id] = visible;
      if (visible) nNodes += 1;
    });
    Object.keys(relations).forEach(function (key) {
      var rel = relations[key];
      var visible = Boolean(shown[rel.source] && shown[rel.target]) && on.relation[rel.type] !== false &&
        on.status[rel.status || "active"] !== false && validOn(rel, "since", "until", day);
      shownRel[key] = visible;
      if (visible) nRel += 1;
    });
    data.edges.forEach(function (edge) {
      shownEdge[edge.id] = keysOf(edge.id).some(function (k) { return shownRel[k]; });
    });
    state.shownNodes = shown;
    state.shownRelations = shownRel;
    state.shownEdges = shownEdge;
    state.visible = { nodes: nNodes, edges: nRel };
    document.getElementById("visible-nodes").textContent = String(nNodes);
    document.getElementById("visible-edges").textContent = String(nRel);
  }

  // --- labels (network view): placed by priority, drawn by the page over everything --------------
  /* The page draws the network view's labels itself, after vis-network has drawn the nodes and
     edges, at a constant on-screen size. Greedy placement by priority: the focus, the selected
     or hovered entity, then the highlighted ones (a neighbourhood, search matches), then the most
     connected. A label goes below, above, right or left of its node, where it meets no label
     already placed and no node that carries one; a dimmed node never blocks a label. Placed
     again whenever the view moves (zoom, pan, fit) or the highlight changes. */
  var measure = document.createElement("canvas").getContext("2d");
  var LABEL_FONT = "600 " + SCREEN_FONT + "px system-ui, sans-serif";
  measure.font = LABEL_FONT;
  var widths = {};
  var LINE = Math.round(SCREEN_FONT * 1.3);
  function labelLines(id) {
    return String(base[id].label || "").split("\n");
  }
  function labelWidth(id) {
    if (widths[id] === undefined) {
      widths[id] = Math.max.apply(null, labelLines(id).map(function (t) { return measure.measureText(t).width; }));
    }
    return widths[id];
  }
  function nodeRadius(id) {
    return (base[id].size || 10) * 1.2 + (id === meta.focus ? 4 : 0);
  }
  function labelPriority(id, hl) {
    if (id === meta.focus) return 0;
    if (id === state.card || (state.hoverId && id === state.hoverId)) return 1;
    // A search lights its matches and their neighbours: the matches' labels come first.
    if (hl && hl[id]) return hl === state.searchLit && !state.matches[id] ? 3 : 2;
    return hl ? 4 : 3;
  }
  function placeLabels() {
    var scale = network.getScale();
    var positions = network.getPositions();
    var hl = state.hover || state.highlight;
    var cell = 64, grid = {};
    function cells(box, fn) {
      for (var gx = Math.floor(box.l / cell); gx <= Math.floor(box.r / cell); gx++) {
        for (var gy = Math.floor(box.t / cell); gy <= Math.floor(box.b / cell); gy++) fn(gx + ":" + gy);
      }
    }
    function add(box) {
      cells(box, function (key) { (grid[key] = grid[key] || []).push(box); });
    }
    function hits(box) {
      var hit = false;
      cells(box, function (key) {
        (grid[key] || []).forEach(function (other) {
          if (other.owner === box.owner || (other.level !== undefined && other.level > box.level)) return;
          if (other.l < box.r && box.l < other.r && other.t < box.b && box.t < other.b) hit = true;
        });
      });
      return hit;
    }
    var view = container.getBoundingClientRect();
    var order = Object.keys(base).filter(function (id) {
      return state.shownNodes[id] && positions[id] && !clustered(id);
    });
    order.sort(function (a, b) {
      return labelPriority(a, hl) - labelPriority(b, hl) || (rankOf[a] || 0) - (rankOf[b] || 0);
    });
    var placed = [];
    var dom = {}, discs = {};
    order = order.filter(function (id) {
      var p = network.canvasToDOM(positions[id]);
      var r = nodeRadius(id) * scale;
      dom[id] = p;
      discs[id] = { owner: id, l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r };
      return !(p.x + r < 0 || p.x - r > view.width || p.y + r < 0 || p.y - r > view.height);
    });
    // The first few in order keep their nodes clear of other labels, so that each can still
    // place its own label next to it.
    var reserved = {};
    order.slice(0, RESERVED).forEach(function (id, i) {
      reserved[id] = i + 1;
      discs[id].level = i + 1;  // blocks the labels of the nodes after it only
      add(discs[id]);
    });
    order.forEach(function (id) {
      var p = dom[id], disc = discs[id];
      var r = nodeRadius(id) * scale;
      disc.level = disc.level || RESERVED + 1;
      if (!reserved[id] && labelPriority(id, hl) > 2 && hits(disc)) return;  // a label covers this node
      var w = labelWidth(id), h = labelLines(id).length * LINE + 4;
      var pad = reserved[id] ? 8 : 5;  // a wider clear margin sets the hubs' names apart from the clutter
      var d = r * 0.7 + pad;  // the diagonal places touch the node's corner
      // The most important try rings further out (a leader line then joins label and node).
      var spots = [], rings = reserved[id] ? HUB_RINGS : 1;
      for (var ring = 0; ring < rings; ring++) {
        var o = ring * LINE * 1.5, q = d + o * 0.7;
        spots.push(
          [p.x - w / 2, p.y + r + pad + o, ring], [p.x - w / 2, p.y - r - pad - h - o, ring],
          [p.x + r + pad + o, p.y - h / 2, ring], [p.x - r - pad - w - o, p.y - h / 2, ring],
          [p.x + q, p.y + q, ring], [p.x - q - w, p.y + q, ring], [p.x + q, p.y - q - h, ring],
          [p.x - q - w, p.y - q - h, ring]);
      }
      for (var i = 0; i < spots.length; i++) {
        var x = spots[i][0], y = spots[i][1];
        var box = { owner: id, l: x - pad, r: x + w + pad, t: y - pad, b: y + h + pad, level: reserved[id] || RESERVED + 1 };
        if (box.l < 0 || box.r > view.width || box.t < 0 || box.b > view.height) continue;
        if (hits(box)) continue;
        add(box);
        if (!reserved[id]) add(disc);
        placed.push({ id: id, x: x, y: y, width: w, height: h, pad: pad, dim: Boolean(hl && !hl[id]),
          lead: spots[i][2] ? { x: p.x, y: p.y } : null });
        return;
      }
    });
    state.placed = placed;
    state.labels = {};
    placed.forEach(function (label) { state.labels[label.id] = true; });
  }
  function viewKey() {
    var p = network.getViewPosition();
    return [network.getScale(), p.x, p.y, container.clientWidth, container.clientHeight].join(",");
  }
  var placedFor = "";
  /* Engagement view: the page writes each box's name (its one or two lines, set by the layout)
     with a tighter line spacing than vis-network's, so the lines fit the box the layout sized. */
  var BOX_LINE = engagement ? meta.line / meta.font : 1.2;
  /* Each box's width, height and how far above its centre a fit must reach (its heading's top when
     the box sits right under one); a collapsed group: a name's box under a heading. */
  var boxSizes = data.boxes || {};
  function boxOf(id) {
    return boxSizes[id] || [160, 2 * meta.line + 6, meta.line + 3 + 2 * meta.font];
  }
  function boxLabels() {
    var positions = network.getPositions(), out = [];
    Object.keys(base).forEach(function (id) {
      if (!state.shownNodes[id] || clustered(id) || !positions[id]) return;
      out.push({ id: id, x: positions[id].x, y: positions[id].y, lines: labelLines(id) });
    });
    return out;
  }
  function drawBoxLabels(ctx) {
    var hl = state.hover || state.highlight, line = meta.font * BOX_LINE;
    ctx.save();
    ctx.font = meta.font + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    boxLabels().forEach(function (label) {
      ctx.fillStyle = hl && !hl[label.id] ? DIM_TEXT : TEXT;
      label.lines.forEach(function (text, i) {
        ctx.fillText(text, label.x, label.y + (i - (label.lines.length - 1) / 2) * line);
      });
    });
    ctx.restore();
  }
  function drawLabels(ctx) {
    if (engagement) {
      drawBoxLabels(ctx);
      return;
    }
    var key = viewKey();
    if (key !== placedFor || state.labelsDirty) {
      placeLabels();
      placedFor = key;
      state.labelsDirty = false;
    }
    ctx.save();  // labels are placed in screen pixels: draw them without the view's transform
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    var ratio = ctx.canvas.width / Math.max(container.clientWidth, 1);
    ctx.scale(ratio, ratio);
    ctx.font = LABEL_FONT;
    ctx.textBaseline = "middle";
    // A label set away from its node hangs on a thin leader line to the nearest point of its plate.
    ctx.strokeStyle = "rgba(26,32,44,0.55)";
    ctx.lineWidth = 1;
    state.placed.forEach(function (label) {
      if (!label.lead) return;
      var tx = Math.min(Math.max(label.lead.x, label.x - 4), label.x + label.width + 4);
      var ty = Math.min(Math.max(label.lead.y, label.y - 1), label.y + label.height + 1);
      ctx.beginPath();
      ctx.moveTo(label.lead.x, label.lead.y);
      ctx.lineTo(tx, ty);
      ctx.stroke();
    });
    // A near-opaque plate under each label: lines and nodes behind it do not break its letters.
    state.placed.forEach(function (label) {
      ctx.fillStyle = label.dim ? "rgba(255,255,255,0.55)" : "rgba(255,255,255,0.94)";
      var m = label.pad - 1;
      ctx.fillRect(label.x - m, label.y - m, label.width + 2 * m, label.height + 2 * m);
    });
    state.placed.forEach(function (label) {
      ctx.fillStyle = label.dim ? DIM_TEXT : TEXT;
      labelLines(label.id).forEach(function (text, i) {
        ctx.fillText(text, label.x, label.y + 2 + LINE * (i + 0.5));
      });
    });
    ctx.restore();
  }

  // --- how it looks ----------------------------------------------------------------------------
  function nodeStyle(id, hl) {
    var b = base[id];
    var dim = Boolean(hl && !hl[id]);
    var focus = id === meta.focus;
    var colour = focus ? { background: b.color.background, border: "#000000",
      highlight: { background: b.color.background, border: "#000000" } } : b.color;
    return {
      hidden: !state.shownNodes[id],
      opacity: dim ? 0.15 : 1,
      borderWidth: focus ? 5 : b.borderWidth,
      size: focus ? b.size + 4 : b.size,
      color: colour,
      font: { size: 0 }  // the page draws every label itself (drawLabels)
    };
  }
  function edgeStyle(id, hl, hlEdges) {
    var b = baseEdge[id];
    var dim = Boolean(hl && !(hlEdges ? hlEdges[id] : hl[b.from] && hl[b.to]));
    return {
      hidden: !state.shownEdges[id],
      color: { color: b.color.color, highlight: b.color.highlight, opacity: dim ? 0.06 : b.color.opacity },
      width: hl && !dim ? b.width + 1 : b.width
    };
  }
  /* vis-network re-measures every label and edge it is given, so an update of all 2,000 nodes
     and 4,000 edges costs over a second: restyle sends only the nodes and edges whose style
     differs from the last one sent (kept as JSON, in sentNode and sentEdge), and the data
     starts in the plain style. */
  function changed(sent, id, style) {
    var key = JSON.stringify(style);
    if (sent[id] === key) return false;
    sent[id] = key;
    style.id = id;
    return true;
  }
  function restyle() {
    var hl = state.hover || state.highlight;
    var hlEdges = state.hover ? state.hoverEdges : state.highlightEdges;
    state.labelsDirty = true;
    var nodeUpdates = [], edgeUpdates = [];
    Object.keys(base).forEach(function (id) {
      var style = nodeStyle(id, hl);
      if (changed(sentNode, id, style)) nodeUpdates.push(style);
    });
    data.edges.forEach(function (edge) {
      var style = edgeStyle(edge.id, hl, hlEdges);
      if (changed(sentEdge, edge.id, style)) edgeUpdates.push(style);
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (!nodeUpdates.length && !edgeUpdates.length) network.redraw();  // labels may move all the same
  }
  state.restyle = restyle;

  function visibleIds() {
    return ids(state.shownNodes).filter(function (id) { return !clustered(id); })
      .concat(ids(closed));
  }
  /* Fit the view to ``shown`` inside the drawing area less what the card covers (when it is
     open), centred on ``centre`` when given, at a scale that still shows all of them. */
  function fitInto(shown, centre) {
    if (!shown.length) return;
    var pos = network.getPositions(shown), xs = [], ys = [];
    shown.forEach(function (id) {
      var p = pos[id];
      if (!p) return;
      if (engagement) {  // a box, and its heading when it sits right under one
        var b = boxOf(id);
        xs.push(p.x - b[0] / 2 - 4, p.x + b[0] / 2 + 4);
        ys.push(p.y - b[2], p.y + b[1] / 2 + 4);
        return;
      }
      var r = base[id] ? nodeRadius(id) : 30;  // a node, with room for its label
      xs.push(p.x - r, p.x + r);
      ys.push(p.y - r - SCREEN_FONT * 2, p.y + r + SCREEN_FONT * 2);
    });
    if (!xs.length) return;
    var box = { l: Math.min.apply(null, xs), r: Math.max.apply(null, xs), t: Math.min.apply(null, ys), b: Math.max.apply(null, ys) };
    var width = container.clientWidth, height = container.clientHeight;
    var free = card.hidden ? width : Math.max(width - card.offsetWidth - 30, width / 3);
    var c = centre || { x: (box.l + box.r) / 2, y: (box.t + box.b) / 2 };
    var spanX = 2 * Math.max(c.x - box.l, box.r - c.x, 1), spanY = 2 * Math.max(c.y - box.t, box.b - c.y, 1);
    var scale = Math.min((free - 8) / spanX, (height - 8) / spanY, engagement ? 1.6 : 2.5);
    network.moveTo({ position: c, scale: scale, offset: { x: (free - width) / 2, y: 0 }, animation: false });
    state.fits = (state.fits || 0) + 1;
  }
  function refit() {
    var shown = visibleIds();
    var focus = meta.focus && state.shownNodes[meta.focus] && !clustered(meta.focus);
    fitInto(shown, focus ? network.getPositions([meta.focus])[meta.focus] : null);
    restyle();
  }
  state.refit = refit;

  // --- collapsing crowded groups ---------------------------------------------------------------
  var groupOf = {};
  (data.groups || []).forEach(function (g) { g.members.forEach(function (m) { groupOf[m] = g; }); });
  var closed = {};  // groups drawn as one node now (asking vis-network about a missing id logs an error)
  function clustered(id) {
    var g = groupOf[id];
    return Boolean(g && closed[g.id]);
  }
  function collapse(group) {
    var keep = {};
    group.members.forEach(function (m) { if (state.shownNodes[m] && m !== meta.focus) keep[m] = true; });
    if (ids(keep).length < (group.folded ? 1 : 2)) return;
    closed[group.id] = true;
    var first = base[ids(keep)[0]];
    var props = {
      id: group.id, label: group.label, shape: engagement ? "box" : "hexagon", size: 22,
      borderWidth: 2, color: { background: group.folded ? "#edf2f7" : first.color.background, border: "#1a202c" },
      font: { size: engagement ? meta.foldFont : 13, color: TEXT, strokeWidth: 3, strokeColor: "#ffffff" },
      allowSingleNodeCluster: Boolean(group.folded)
    };
    if (group.x !== undefined) {  // a fold sits at its own place in the actor column, its size
      props.x = group.x;
      props.y = group.y;
      var margin = data.options.nodes.margin;
      props.widthConstraint = { minimum: group.w - margin.left - margin.right, maximum: group.w - margin.left - margin.right };
      props.heightConstraint = { minimum: group.h - margin.top - margin.bottom, valign: "middle" };
    }
    network.cluster({ joinCondition: function (node) { return Boolean(keep[node.id]); }, clusterNodeProperties: props });
  }
  var home = {};
  data.nodes.forEach(function (node) { home[node.id] = { x: node.x, y: node.y }; });
  function homePositions(clusterPosition, contained) {
    var out = {};
    Object.keys(contained).forEach(function (id) { out[id] = home[id] || contained[id]; });
    return out;
  }
  function applyClusters() {
    (data.groups || []).forEach(function (g) {
      // Opened, the members go back to their own places (vis-network would stack them on the group's).
      if (closed[g.id]) network.openCluster(g.id, { releaseFunction: homePositions });
      closed[g.id] = false;
    });
    (data.groups || []).forEach(function (g) { if (state.collapsed[g.id]) collapse(g); });
  }
  var groupBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-group]"));
  groupBoxes.forEach(function (box) {
    box.addEventListener("change", function () {
      state.collapsed[box.value] = box.checked;
      update();
    });
  });

  // --- the card --------------------------------------------------------------------------------
  var card = document.getElementById("card");
  var cardBody = document.getElementById("card-body");
  var openCard = igfmapCard.opener(card, cardBody);
  /* The card never covers the selected node: when it would, the view pans the node to the
     middle of the part the card leaves free. */
  function keepClear(id) {
    if (card.hidden || !state.shownNodes[id] || clustered(id)) return;
    var pos = network.getPositions([id])[id];
    var p = network.canvasToDOM(pos);
    var free = container.clientWidth - card.offsetWidth - 30;
    var reach = (engagement ? 100 : nodeRadius(id)) * network.getScale() + 10;
    if (p.x + reach < free && p.x - reach > 0 && p.y > 0 && p.y < container.clientHeight) return;
    network.moveTo({
      position: pos, scale: network.getScale(),
      offset: { x: free / 2 - container.clientWidth / 2, y: Math.min(Math.max(p.y, 40), container.clientHeight - 40) - container.clientHeight / 2 },
      animation: false
    });
  }
  state.keepClear = keepClear;
  function closeCard() {
    card.hidden = true;
    state.card = null;
  }
  document.getElementById("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      closeCard();
      network.unselectAll();  // vis-network's own selection draws the edges thick and black
      state.highlight = null;
      state.highlightEdges = null;
      state.hover = null;
      state.hoverEdges = null;
      state.hoverId = null;
      restyle();
    }
  });
  function sourceList(idList) {
    return igfmapCard.sourceList(sources, idList, "map");
  }
  function findingBoxes(parent, indexes) {
    (indexes || []).forEach(function (i) {
      var f = findings[i];
      if (!f) return;
      var box = el("div", null, "gap");
      box.appendChild(el("b", f.rule));
      box.appendChild(el("span", ": " + f.explanation));
      if (f.evidence && f.evidence.length) box.appendChild(el("div", "evidence: " + f.evidence.join(", "), "muted"));
      parent.appendChild(box);
    });
  }
  function jump(id) {
    var b = el("button", nameOf(id), "linkish");
    b.type = "button";
    b.addEventListener("click", function () { selectEntity(id); });
    return b;
  }
  var FIELDS = [["aliases", "Aliases"], ["stakeholder_group", "Stakeholder group"], ["region", "Region"],
    ["country", "Country"], ["url", "Website"], ["description", "Description"], ["valid_from", "Valid from"],
    ["valid_to", "Valid to"], ["tags", "Tags"]];
  function relationLine(rel, outgoing) {
    var li = el("li");
    var other = outgoing ? rel.target : rel.source;
    li.appendChild(el("span", outgoing ? rel.type + " → " : "← " + rel.type + " · "));
    li.appendChild(jump(other));
    var bits = [rel.role, rel.status || "active", rel.since && "since " + rel.since, rel.until && "until " + rel.until,
      rel.confidence && "confidence " + rel.confidence].filter(Boolean);
    li.appendChild(el("span", " (" + bits.join(", ") + ")", "muted"));
    if (rel.note) li.appendChild(el("div", rel.note, "muted"));
    var edgeId = [rel.source, rel.type, rel.target, rel.role || ""].join("|");
    var rec = relations[edgeId];
    if (rec && rec.findings) findingBoxes(li, rec.findings);
    li.appendChild(sourceList(rel.sources));
    return li;
  }
  function showEntity(id) {
    var ent = entities[id];
    if (!ent) return;
    state.card = id;
    openCard(function (body) {
      body.appendChild(el("h2", ent.name || id));
      body.appendChild(el("p", [ent.type, ent.category, id].filter(Boolean).join(" · "), "muted"));
      if (ent.gap) {
        body.appendChild(el("div", ent.gap === "uncovered" ? "Gap: no actor of the ecosystem engages on this (active or planned)."
          : "Gap: this actor engages on nothing in this view.", "gap"));
      }
      findingBoxes(body, ent.findings);
      var dl = el("dl");
      FIELDS.forEach(function (pair) {
        var value = ent[pair[0]];
        if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
        dl.appendChild(el("dt", pair[1]));
        var dd = el("dd");
        if (pair[0] === "url") dd.appendChild(link(value));
        else dd.textContent = list(value);
        dl.appendChild(dd);
      });
      body.appendChild(dl);
      if (ent.sources && ent.sources.length) {
        body.appendChild(el("h3", "Sources"));
        body.appendChild(sourceList(ent.sources));
      }
      var outs = [], ins = [];
      Object.keys(relations).forEach(function (key) {
        var rel = relations[key];
        if (rel.source === id) outs.push(rel);
        if (rel.target === id && rel.source !== id) ins.push(rel);
      });
      body.appendChild(el("h3", "Relations (" + (outs.length + ins.length) + ")"));
      var ul = el("ul", null, "relations");
      outs.forEach(function (rel) { ul.appendChild(relationLine(rel, true)); });
      ins.forEach(function (rel) { ul.appendChild(relationLine(rel, false)); });
      body.appendChild(ul);
    });
  }
  function relationCard(body, rel) {
    body.appendChild(el("p", rel.type, "muted"));
    findingBoxes(body, rel.findings);
    var dl = el("dl");
    [["From", rel.source], ["To", rel.target]].forEach(function (row) {
      dl.appendChild(el("dt", row[0]));
      var dd = el("dd");
      dd.appendChild(jump(row[1]));
      dl.appendChild(dd);
    });
    [["role", "Role"], ["status", "Status"], ["since", "Since"], ["until", "Until"], ["confidence", "Confidence"],
      ["note", "Note"]].forEach(function (pair) {
      if (!rel[pair[0]]) return;
      dl.appendChild(el("dt", pair[1]));
      dl.appendChild(el("dd", rel[pair[0]]));
    });
    body.appendChild(dl);
    body.appendChild(el("h3", "Sources"));
    body.appendChild(sourceList(rel.sources));
  }
  function showRelation(edgeId) {
    var keys = keysOf(edgeId).filter(function (k) { return relations[k]; });
    if (!keys.length) return;
    state.card = edgeId;
    openCard(function (body) {
      var first = relations[keys[0]];
      body.appendChild(el("h2", nameOf(first.source) + " → " + nameOf(first.target)));
      if (keys.length > 1) body.appendChild(el("p", keys.length + " relations", "muted"));
      keys.forEach(function (k) { relationCard(body, relations[k]); });
    });
  }

  // --- highlighting: a neighbourhood, the matches of a search ------------------------------------
  function neighbourhood(id) {
    var set = {}, edgeSet = {};
    set[id] = true;
    Object.keys(neighbours[id] || {}).forEach(function (n) { set[n] = true; });
    data.edges.forEach(function (edge) {
      if (edge.from === id || edge.to === id) edgeSet[edge.id] = true;
    });
    return [set, edgeSet];
  }
  function highlightEntity(id) {
    var hood = neighbourhood(id);
    state.highlight = hood[0];
    state.highlightEdges = hood[1];
    restyle();
  }
  function selectEntity(id) {
    if (!entities[id]) return;
    if (clustered(id)) {
      state.collapsed[groupOf[id].id] = false;
      groupBoxes.forEach(function (box) { if (box.value === groupOf[id].id) box.checked = false; });
      applyClusters();
    }
    highlightEntity(id);
    showEntity(id);
    if (state.shownNodes[id]) {
      network.selectNodes([id]);
      if (engagement) {
        keepClear(id);  // the view opened at a readable scale: keep it, bring the box in view
      } else {
        var hood = Object.keys(state.highlight).filter(function (n) { return state.shownNodes[n] && !clustered(n); });
        fitInto(hood, network.getPositions([id])[id]);
      }
      restyle();
    }
  }
  state.selectEntity = selectEntity;
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (closed[id]) {
        state.collapsed[id] = false;
        groupBoxes.forEach(function (box) { if (box.value === id) box.checked = false; });
        update();
        return;
      }
      highlightEntity(id);
      showEntity(id);
      keepClear(id);
    } else if (params.edges.length) {
      var edgeId = params.edges[0];
      var hl = {}, hlEdges = {};
      hl[baseEdge[edgeId] ? baseEdge[edgeId].from : ""] = true;
      hl[baseEdge[edgeId] ? baseEdge[edgeId].to : ""] = true;
      hlEdges[edgeId] = true;
      state.highlight = hl;
      state.highlightEdges = hlEdges;
      restyle();
      showRelation(edgeId);
    } else {
      closeCard();
      network.unselectAll();
      state.highlight = state.query ? state.highlight : null;
      state.highlightEdges = state.query ? state.highlightEdges : null;
      restyle();
    }
    saveHash();
  });
  network.on("hoverNode", function (params) {
    if (closed[params.node]) return;
    var hood = neighbourhood(params.node);
    state.hover = hood[0];
    state.hoverEdges = hood[1];
    state.hoverId = params.node;
    restyle();
  });
  network.on("blurNode", function () {
    state.hover = null;
    state.hoverEdges = null;
    state.hoverId = null;
    restyle();
  });

  // --- search ----------------------------------------------------------------------------------
  var index = Object.keys(entities).map(function (id) {
    var ent = entities[id];
    return { id: id, keys: [id, ent.name].concat(ent.aliases || []).map(fold) };
  });
  var searchInput = document.getElementById("search");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  function runSearch() {
    var query = fold(searchInput.value).trim();
    state.query = query;
    while (results.firstChild) results.removeChild(results.firstChild);
    if (!query) {
      status.textContent = "";
      state.highlight = null;
      state.highlightEdges = null;
      refit();
      saveHash();
      return [];
    }
    var hits = index.filter(function (item) {
      return item.keys.some(function (key) { return key.indexOf(query) !== -1; });
    }).map(function (item) { return item.id; });
    hits.sort(function (a, b) {
      var an = fold(nameOf(a)), bn = fold(nameOf(b));
      var ap = an.indexOf(query) === 0 ? 0 : 1, bp = bn.indexOf(query) === 0 ? 0 : 1;
      return ap - bp || (an < bn ? -1 : an > bn ? 1 : 0);
    });
    status.textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    hits.slice(0, 50).forEach(function (id) {
      var li = el("li");
      var b = el("button", nameOf(id));
      b.type = "button";
      b.setAttribute("data-id", id);
      b.appendChild(el("span", " · " + entities[id].type, "muted"));
      b.addEventListener("click", function () { selectEntity(id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    // The matches and their neighbours stay lit on the canvas (so both are labelled), the rest dims.
    var set = {}, matches = {}, lines = {};
    hits.forEach(function (id) {
      matches[id] = set[id] = true;
      var hood = neighbourhood(id);
      Object.keys(hood[0]).forEach(function (n) { set[n] = true; });
      Object.keys(hood[1]).forEach(function (e) { lines[e] = true; });
    });
    state.matches = matches;
    state.searchLit = set;
    state.highlight = set;
    state.highlightEdges = lines;
    // The view fits the matches it can show.
    var shownHits = hits.filter(function (id) { return state.shownNodes[id] && !clustered(id); });
    if (shownHits.length) fitInto(shownHits, null);
    else refit();
    restyle();
    saveHash();
    return hits;
  }
  searchInput.addEventListener("input", runSearch);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = runSearch();
      if (hits.length) selectEntity(hits[0]);
    }
  });

  // --- the date control --------------------------------------------------------------------------
  var dates = meta.dates || [];
  var slider = document.getElementById("date-slider");
  var dateInput = document.getElementById("date-input");
  var dateLabel = document.getElementById("date-label");
  function showDate() {
    dateLabel.textContent = state.date ? "valid on " + state.date : "all dates";
    dateInput.value = state.date || "";
    var i = dates.indexOf(state.date);
    if (!state.date) slider.value = "0";
    else if (i >= 0) slider.value = String(i + 1);
    else {
      var after = dates.filter(function (d) { return d <= state.date; }).length;
      slider.value = String(after);
    }
  }
  function setDate(day) {
    state.date = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : "";
    showDate();
    update();
  }
  state.setDate = setDate;
  slider.addEventListener("input", function () {
    var i = Number(slider.value);
    setDate(i > 0 ? dates[i - 1] : "");
  });
  dateInput.addEventListener("change", function () { setDate(dateInput.value); });
  document.getElementById("date-clear").addEventListener("click", function () { setDate(""); });

  // --- the view's state in the URL fragment --------------------------------------------------------
  function saveHash() {
    if (!state.ready) return;
    var params = new URLSearchParams();
    ["type", "relation", "status"].forEach(function (kind) {
      var off = boxes.filter(function (b) { return b.getAttribute("data-filter") === kind && !b.checked; })
        .map(function (b) { return b.value; });
      if (off.length) params.set("hide-" + kind, off.join(","));
    });
    var gaps = boxes.filter(function (b) { return b.getAttribute("data-filter") === "gap" && b.checked; })
      .map(function (b) { return b.value; });
    if (gaps.length) params.set("gaps", gaps.join(","));
    if (state.date) params.set("date", state.date);
    if (state.query) params.set("q", searchInput.value);
    if (state.card && entities[state.card]) params.set("entity", state.card);
    var collapsed = ids(state.collapsed);
    var byDefault = groupBoxes.every(function (b) { return Boolean(state.collapsed[b.value]) === b.defaultChecked; });
    if (!byDefault) params.set("collapse", collapsed.join(","));
    var text = params.toString();
    try {
      history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    } catch (err) {
      location.replace("#" + text);
    }
  }
  state.saveHash = saveHash;
  function loadHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    ["type", "relation", "status"].forEach(function (kind) {
      var off = (params.get("hide-" + kind) || "").split(",");
      boxes.forEach(function (b) { if (b.getAttribute("data-filter") === kind) b.checked = off.indexOf(b.value) === -1; });
    });
    var gaps = (params.get("gaps") || "").split(",");
    boxes.forEach(function (b) { if (b.getAttribute("data-filter") === "gap") b.checked = gaps.indexOf(b.value) !== -1; });
    var collapsed = (params.get("collapse") || "").split(",");
    groupBoxes.forEach(function (b) {
      b.checked = params.has("collapse") ? collapsed.indexOf(b.value) !== -1 : b.defaultChecked;
      state.collapsed[b.value] = b.checked;
    });
    if (params.get("date") !== null) state.date = params.get("date");
    showDate();
    return { q: params.get("q"), entity: params.get("entity") };
  }

  // --- filters -----------------------------------------------------------------------------------
  function update() {
    computeVisible();
    applyClusters();
    refit();
    saveHash();
  }
  state.applyFilters = update;
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  document.getElementById("reset-filters").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = box.getAttribute("data-filter") !== "gap"; });
    groupBoxes.forEach(function (box) { box.checked = box.defaultChecked; state.collapsed[box.value] = box.checked; });
    state.date = meta.as_of || "";
    showDate();
    update();
  });

  // --- group headings (engagement view), drawn as canvas text -------------------------------------
  /* A heading is drawn while one of its members is: an entity shown and not inside a collapsed
     group, or a collapsed group (a fold) drawn as one node. */
  function shownHeadings() {
    return (data.headings || []).filter(function (h) {
      return h.members.some(function (m) { return closed[m] || (state.shownNodes[m] && !clustered(m)); });
    });
  }
  state.shownHeadings = shownHeadings;
  function fitText(ctx, text, width) {  // cut with … to ``width`` canvas units
    if (ctx.measureText(text).width <= width) return text;
    var cut = text;
    while (cut.length > 1 && ctx.measureText(cut + "…").width > width) cut = cut.slice(0, -1);
    return cut.replace(/\s+$/, "") + "…";
  }
  /* Over the lines, on a halo of the page's colour: a line passing under a heading (they run
     between the columns) no longer strikes its words out. */
  network.on("afterDrawing", function (ctx) {
    var headings = shownHeadings();
    if (!headings.length) return;
    ctx.save();
    ctx.font = "bold " + (meta.font || 14) + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#4a5568";
    headings.forEach(function (h) {
      var text = fitText(ctx, h.label, h.width || 400);
      ctx.strokeText(text, h.x, h.y);
      ctx.fillText(text, h.x, h.y);
    });
    ctx.restore();
  });
  network.on("afterDrawing", drawLabels);

  // --- test hooks: what the page drew, in DOM pixels ---------------------------------------------
  state.labelBoxes = function () {
    if (!engagement) {
      return state.placed.map(function (l) { return { id: l.id, x: l.x, y: l.y, width: l.width, height: l.height }; });
    }
    var scale = network.getScale();
    measure.font = meta.font + "px system-ui, sans-serif";
    return boxLabels().map(function (label) {
      var width = Math.max.apply(null, label.lines.map(function (t) { return measure.measureText(t).width; }));
      var height = label.lines.length * meta.font * BOX_LINE;
      var corner = network.canvasToDOM({ x: label.x - width / 2, y: label.y - height / 2 });
      return { id: label.id, x: corner.x, y: corner.y, width: width * scale, height: height * scale };
    });
  };
  state.nodeDiscs = function () {
    var scale = network.getScale(), out = [];
    network.body.nodeIndices.forEach(function (id) {
      var node = network.body.nodes[id];
      if (!node || node.options.hidden) return;
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      out.push({ id: id, x: p.x, y: p.y, r: node.options.size * scale, shape: node.options.shape });
    });
    return out;
  };

  // --- the side panel: a big engagement view opens with it closed, to give the boxes the width ---
  igfmapCard.panelToggle(function () {
    network.setSize("100%", "100%");  // the drawing area changed: size the canvas now, then refit
    refit();
  });

  // --- start -------------------------------------------------------------------------------------
  var initial = loadHash();
  computeVisible();
  applyClusters();
  function start() {
    refit();
    if (initial.q) {
      searchInput.value = initial.q;
      runSearch();
    }
    if (initial.entity && entities[initial.entity]) {
      highlightEntity(initial.entity);
      showEntity(initial.entity);
    }
    var pending;
    network.on("zoom", function () {
      clearTimeout(pending);
      pending = setTimeout(restyle, 120);
    });
    network.on("dragEnd", function () { restyle(); });
    network.once("afterDrawing", function () {
      state.ready = true;
      document.body.setAttribute("data-ready", "true");
    });
    network.redraw();
  }
  if (meta.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      start();
    });
  } else {
    start();
  }
})();
