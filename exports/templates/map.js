/* igf-mapper map page. Every value from the data is text: it reaches the page only through
   textContent, DOM properties and vis-network's canvas labels, never as HTML markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("igfmap-data").textContent);
  var state = { ready: false, data: data, network: null, nodes: null, edges: null, card: null };
  window.igfmap = state;

  var entities = data.entities, relations = data.relations, sources = data.sources;
  var findings = data.findings || [];

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function safeUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }
  function link(value) {
    var href = safeUrl(value);
    if (!href) return el("span", value);
    var a = el("a", value);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
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

  // --- network -------------------------------------------------------------------------------
  data.nodes.forEach(function (node) {
    var ent = entities[node.id];
    var extra = ent.findings ? ent.findings.length + " gap finding(s)" : "";
    node.title = tooltip([ent.name, ent.type + (ent.stakeholder_group ? " · " + ent.stakeholder_group : ""), extra]);
  });
  data.edges.forEach(function (edge) {
    var rel = relations[edge.id];
    edge.title = tooltip([nameOf(rel.source) + " → " + nameOf(rel.target),
      rel.type + (rel.role ? " · " + rel.role : "") + " · " + (rel.status || "active")]);
  });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;
  function markReady() {
    state.ready = true;
    document.body.setAttribute("data-ready", "true");
  }
  if (data.meta.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // --- card ----------------------------------------------------------------------------------
  var card = document.getElementById("card");
  var cardBody = document.getElementById("card-body");
  function openCard(build) {
    while (cardBody.firstChild) cardBody.removeChild(cardBody.firstChild);
    build(cardBody);
    card.hidden = false;
  }
  function closeCard() {
    card.hidden = true;
    state.card = null;
  }
  document.getElementById("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeCard();
  });

  function sourceItem(id) {
    var src = sources[id];
    var li = el("li", null, "src");
    if (!src) {
      li.textContent = id + " (source not in this map)";
      return li;
    }
    li.appendChild(el("span", src.title || id));
    var bits = [src.kind, src.date, src.locator].filter(Boolean);
    if (bits.length) li.appendChild(el("span", " — " + bits.join(", ")));
    li.appendChild(el("span", " [" + id + "]", "muted"));
    if (src.url) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link(src.url));
    }
    return li;
  }
  function sourceList(ids) {
    var ul = el("ul");
    (ids || []).forEach(function (id) { ul.appendChild(sourceItem(id)); });
    return ul;
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
  function showRelation(edgeId) {
    var rel = relations[edgeId];
    if (!rel) return;
    state.card = edgeId;
    openCard(function (body) {
      body.appendChild(el("h2", nameOf(rel.source) + " → " + nameOf(rel.target)));
      body.appendChild(el("p", rel.type, "muted"));
      findingBoxes(body, rel.findings);
      var dl = el("dl");
      [["From", null, rel.source], ["To", null, rel.target]].forEach(function (row) {
        dl.appendChild(el("dt", row[0]));
        var dd = el("dd");
        dd.appendChild(jump(row[2]));
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
    });
  }
  function selectEntity(id) {
    if (!entities[id]) return;
    var node = nodes.get(id);
    if (node && !node.hidden) {
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    }
    showEntity(id);
  }
  state.selectEntity = selectEntity;
  network.on("click", function (params) {
    if (params.nodes.length) showEntity(params.nodes[0]);
    else if (params.edges.length) showRelation(params.edges[0]);
    else closeCard();
  });

  // --- search --------------------------------------------------------------------------------
  var index = Object.keys(entities).map(function (id) {
    var ent = entities[id];
    return { id: id, keys: [id, ent.name].concat(ent.aliases || []).map(fold) };
  });
  var searchInput = document.getElementById("search");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  function runSearch() {
    var query = fold(searchInput.value).trim();
    while (results.firstChild) results.removeChild(results.firstChild);
    if (!query) {
      status.textContent = "";
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
    return hits;
  }
  searchInput.addEventListener("input", runSearch);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var hits = runSearch();
      if (hits.length) selectEntity(hits[0]);
    }
  });

  // --- filters -------------------------------------------------------------------------------
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var gapMembers = {};
  findings.forEach(function (f) {
    gapMembers[f.rule] = gapMembers[f.rule] || {};
    f.subjects.forEach(function (s) { gapMembers[f.rule][s] = true; });
  });
  function applyFilters() {
    var on = { type: {}, relation: {}, status: {}, gap: {} };
    var gapRules = [];
    boxes.forEach(function (box) {
      on[box.getAttribute("data-filter")][box.value] = box.checked;
      if (box.getAttribute("data-filter") === "gap" && box.checked) gapRules.push(box.value);
    });
    var shown = {}, nodeUpdates = [], edgeUpdates = [], visibleNodes = 0, visibleEdges = 0;
    Object.keys(entities).forEach(function (id) {
      var ent = entities[id];
      var visible = on.type[ent.type] !== false;
      if (visible && gapRules.length) {
        visible = gapRules.some(function (rule) { return gapMembers[rule][id]; });
      }
      shown[id] = visible;
      if (visible) visibleNodes += 1;
      nodeUpdates.push({ id: id, hidden: !visible });
    });
    Object.keys(relations).forEach(function (key) {
      var rel = relations[key];
      var visible = shown[rel.source] && shown[rel.target] && on.relation[rel.type] !== false &&
        on.status[rel.status || "active"] !== false;
      if (visible) visibleEdges += 1;
      edgeUpdates.push({ id: key, hidden: !visible });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    document.getElementById("visible-nodes").textContent = String(visibleNodes);
    document.getElementById("visible-edges").textContent = String(visibleEdges);
    state.visible = { nodes: visibleNodes, edges: visibleEdges };
  }
  boxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  document.getElementById("reset-filters").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = box.getAttribute("data-filter") !== "gap"; });
    applyFilters();
  });
  state.applyFilters = applyFilters;
  state.visible = { nodes: data.nodes.length, edges: data.edges.length };
})();
