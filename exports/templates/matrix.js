/* igf-mapper engagement matrix page. Every value from the data is text: it reaches the page
   only through textContent and DOM properties, never as HTML markup.

   The table is rebuilt from the state (grouping, order, filters) by render(); every control
   changes the state, then calls it. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("igfmap-data").textContent);
  var meta = data.meta;
  var entities = data.entities, relations = data.relations, sources = data.sources;
  var roleRank = meta.role_rank, statusRank = meta.status_rank;
  var roleInfo = {};
  meta.roles.forEach(function (r) { roleInfo[r.key] = r; });
  var uncovered = {};
  data.uncovered.forEach(function (id) { uncovered[id] = true; });
  var cellsOf = {};  // row id -> column id -> relation keys
  data.cells.forEach(function (c) {
    (cellsOf[c.row] = cellsOf[c.row] || {})[c.column] = c.keys;
  });
  var columnById = {};
  data.columns.forEach(function (c) { columnById[c.id] = c; });
  var rowById = {};
  data.rows.forEach(function (r) { rowById[r.id] = r; });

  var state = {
    groupBy: "process", sort: "name", rowText: "", colText: "", showEmpty: false,
    groups: {}, statuses: {}, expanded: {}, selected: null
  };
  var api = { state: state, data: data };
  window.igfmapMatrix = api;

  var el = igfmapCard.el, link = igfmapCard.link;  // card.js
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function nameOf(id) {
    var ent = entities[id];
    return ent && ent.name ? ent.name : id;
  }

  // --- what the filters keep -------------------------------------------------------------------
  function statusOf(rel) {
    return rel.status || "active";
  }
  /* The relations of a cell the status filter keeps, and the look they give it: the most
     engaged status, then the strongest role (as the engagement view picks a line's look). */
  function cellLook(row, column) {
    var keys = (cellsOf[row] || {})[column];
    if (!keys) return null;
    var kept = keys.filter(function (k) { return state.statuses[statusOf(relations[k])]; });
    if (!kept.length) return null;
    kept.sort(function (a, b) {
      var ra = relations[a], rb = relations[b];
      return (rank(statusRank, statusOf(ra)) - rank(statusRank, statusOf(rb))) ||
        (rank(roleRank, ra.role || "") - rank(roleRank, rb.role || ""));
    });
    var best = relations[kept[0]];
    return { keys: kept, role: best.role || "", status: statusOf(best) };
  }
  function rank(ranks, key) {
    return Object.prototype.hasOwnProperty.call(ranks, key) ? ranks[key] : 99;
  }
  function matches(text, keys) {
    if (!text) return true;
    return keys.some(function (k) { return fold(k).indexOf(text) !== -1; });
  }
  function shownColumns() {
    return data.columns.filter(function (c) { return matches(state.colText, [c.id, c.name]); });
  }
  function shownRows() {
    return data.rows.filter(function (r) {
      return state.groups[r.group] && matches(state.rowText, [r.id, r.name].concat(r.aliases || []));
    });
  }
  /* Counts per row and column over the cells the filters keep (one pass over the cells, not
     over every row and column pair); the look of each kept cell is kept for drawing it. */
  var looks = {};
  function counts(rows, columns) {
    var byRow = {}, byColumn = {}, total = 0;
    rows.forEach(function (r) { byRow[r.id] = 0; });
    columns.forEach(function (c) { byColumn[c.id] = 0; });
    looks = {};
    data.cells.forEach(function (c) {
      if (byRow[c.row] === undefined || byColumn[c.column] === undefined) return;
      var look = cellLook(c.row, c.column);
      if (!look) return;
      looks[c.row + "\u0000" + c.column] = look;
      byRow[c.row] += 1;
      byColumn[c.column] += 1;
      total += 1;
    });
    return { row: byRow, column: byColumn, total: total };
  }
  function order(list, count, head) {
    return list.slice().sort(function (a, b) {
      if (head && (a.id === head) !== (b.id === head)) return a.id === head ? -1 : 1;
      if (state.sort === "count" && count[a.id] !== count[b.id]) return count[b.id] - count[a.id];
      var an = fold(a.name), bn = fold(b.name);
      return an < bn ? -1 : an > bn ? 1 : (a.id < b.id ? -1 : 1);
    });
  }
  /* Column groups in the data's order: by process, or by objective (a column under each
     objective it addresses). */
  function columnGroups(columns, count) {
    var source = state.groupBy === "objective" ? data.objective_groups : data.process_groups;
    var keep = {};
    columns.forEach(function (c) { keep[c.id] = c; });
    return source.map(function (g) {
      var members = g.members.filter(function (id) { return keep[id]; }).map(function (id) { return keep[id]; });
      return { key: g.key, label: g.label, columns: order(members, count, g.key) };
    }).filter(function (g) { return g.columns.length; });
  }
  // A process heading its own group names it: no separate group column then.
  function headed(group) {
    return group.columns.length > 0 && group.columns[0].id === group.key;
  }
  function rowGroups(rows, count) {
    return data.row_groups.map(function (g) {
      var members = rows.filter(function (r) { return r.group === g; });
      var engaged = members.filter(function (r) { return count[r.id] > 0; });
      var idle = members.filter(function (r) { return count[r.id] === 0; });
      var open = state.showEmpty || state.expanded[g] || Boolean(state.rowText);
      return { key: g, engaged: order(engaged, count), idle: order(idle, count), open: open };
    }).filter(function (g) { return g.engaged.length || g.idle.length; });
  }

  // --- the table ---------------------------------------------------------------------------------
  var table = document.getElementById("matrix");
  function vhead(text) {
    return el("div", text, "vhead");
  }
  function header(groups, count, rowTotal) {
    var thead = el("thead");
    var names = el("tr", null, "names");
    var corner = el("th", "Actors (rows, by stakeholder group) × activities (columns, by " +
      (state.groupBy === "objective" ? "objective addressed" : "process") + ")", "corner");
    corner.scope = "col";
    names.appendChild(corner);
    var countRow = el("tr", null, "counts");
    var countCorner = el("th", "actors engaged: " + rowTotal + " of the rows shown", "corner");
    countRow.appendChild(countCorner);
    groups.forEach(function (g) {
      if (!headed(g)) {
        var sep = el("th", null, "gsep");
        sep.appendChild(vhead(g.label));
        names.appendChild(sep);
        countRow.appendChild(el("td", null, "gsep"));
      }
      g.columns.forEach(function (c, i) {
        var th = el("th", null, "col");
        if (i === 0 && headed(g)) th.classList.add("heads", "first");
        th.scope = "col";
        th.setAttribute("data-column", c.id);
        th.appendChild(vhead(c.name));
        var n = count[c.id];
        var td = el("td", String(n));
        if (uncovered[c.id]) {
          th.classList.add("uncovered");
          td.className = "count-uncovered";
          td.title = "no ecosystem actor engages on this (active or planned)";
        } else if (!n) {
          th.classList.add("empty");
          td.className = "count-empty";
        }
        if (state.colText) th.classList.add("hit");
        th.addEventListener("click", function () { showColumn(c.id); });
        if (i === 0 && headed(g)) td.classList.add("first");
        names.appendChild(th);
        countRow.appendChild(td);
      });
    });
    thead.appendChild(names);
    thead.appendChild(countRow);
    return thead;
  }
  var emptyCell = el("td", null, "cell");
  function cellNode(row, column) {
    var look = looks[row.id + "\u0000" + column.id];
    if (!look) return emptyCell.cloneNode(false);  // most cells: cheap to make
    var td = el("td", null, "cell");
    td.setAttribute("data-column", column.id);
    var info = roleInfo[look.role] || roleInfo[""];
    td.classList.add("on", "st-" + look.status);
    td.style.setProperty("--role", info.colour);
    td.textContent = info.abbr;
    td.title = row.name + " → " + column.name + ": " + (look.role || "engaged") + ", " + look.status;
    td.tabIndex = 0;
    td.setAttribute("role", "button");
    td.addEventListener("click", function () { showCell(row.id, column.id, td); });
    td.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        showCell(row.id, column.id, td);
      }
    });
    return td;
  }
  function actorRow(row, groups, count) {
    var tr = el("tr");
    tr.setAttribute("data-row", row.id);
    var th = el("th", null, "actor");
    th.scope = "row";
    th.appendChild(el("span", count[row.id], "n"));
    th.appendChild(el("span", row.name));
    if (!count[row.id]) {
      th.classList.add("empty");
      tr.className = "empty-row";
    }
    if (state.rowText) th.classList.add("hit");
    th.addEventListener("click", function () { showActor(row.id); });
    tr.appendChild(th);
    function fill() {
      groups.forEach(function (g) {
        if (!headed(g)) tr.appendChild(el("td", null, "gsep"));
        g.columns.forEach(function (c, i) {
          var td = cellNode(row, c);
          if (i === 0 && headed(g)) td.classList.add("first");
          tr.appendChild(td);
        });
      });
    }
    if (!lazy) {
      fill();
      return tr;
    }
    // A big matrix: the row gets its cells when it comes near the screen.
    var stand = el("td", null, "lazy");
    stand.colSpan = Math.max(1, lazy.width - 1);
    tr.appendChild(stand);
    lazy.rows.set(tr, function () {
      tr.removeChild(stand);
      fill();
    });
    lazy.observer.observe(tr);
    return tr;
  }
  /* Drawing every cell of a big matrix takes seconds (600 x 800 is half a million): above
     LAZY_CELLS, rows are filled as they scroll near the screen. */
  var LAZY_CELLS = 40000;
  var lazy = null;
  function startLazy(rows, width) {
    if (lazy) lazy.observer.disconnect();
    lazy = null;
    if (rows * width <= LAZY_CELLS || !window.IntersectionObserver) return;
    var fills = new Map();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var fillRow = fills.get(entry.target);
        if (!entry.isIntersecting || !fillRow) return;
        fills.delete(entry.target);
        observer.unobserve(entry.target);
        fillRow();
      });
    }, { root: document.getElementById("matrix-wrap"), rootMargin: "800px 0px" });
    lazy = { observer: observer, rows: fills, width: width };
  }
  function foldRow(group, width) {
    var tr = el("tr", null, "fold");
    var th = el("th");
    th.colSpan = width;
    var open = state.expanded[group.key] || state.showEmpty;
    var b = el("button", open ? "hide the " + group.idle.length + " with no engagement"
      : "+ " + group.idle.length + " with no recorded engagement (show)");
    b.type = "button";
    b.setAttribute("data-fold", group.key);
    b.addEventListener("click", function () {
      state.expanded[group.key] = !state.expanded[group.key];
      render();
    });
    th.appendChild(b);
    tr.appendChild(th);
    return tr;
  }
  function render() {
    var rows = shownRows(), columns = shownColumns();
    var count = counts(rows, columns);
    var groups = columnGroups(columns, count.column);
    var width = 1 + groups.reduce(function (n, g) { return n + (headed(g) ? 0 : 1) + g.columns.length; }, 0);
    var rgroups = rowGroups(rows, count.row);
    startLazy(rgroups.reduce(function (n, g) { return n + g.engaged.length + (g.open ? g.idle.length : 0); }, 0), width);
    var engagedRows = rows.filter(function (r) { return count.row[r.id] > 0; }).length;
    while (table.firstChild) table.removeChild(table.firstChild);
    table.appendChild(header(groups, count.column, engagedRows));
    var tbody = el("tbody");
    var drawn = 0;
    rgroups.forEach(function (g) {
      var tr = el("tr", null, "rgroup");
      var th = el("th");
      th.colSpan = width;
      th.appendChild(el("span", g.key + " · " + g.engaged.length + " engaged" +
        (g.idle.length ? ", " + g.idle.length + " with no engagement" : "")));
      tr.appendChild(th);
      tbody.appendChild(tr);
      g.engaged.forEach(function (r) { tbody.appendChild(actorRow(r, groups, count.row)); drawn += 1; });
      if (g.idle.length && !state.rowText) tbody.appendChild(foldRow(g, width));
      if (g.open) g.idle.forEach(function (r) { tbody.appendChild(actorRow(r, groups, count.row)); drawn += 1; });
    });
    table.appendChild(tbody);
    var head = table.querySelector("tr.names");
    table.style.setProperty("--head-height", head.getBoundingClientRect().height + "px");
    var uniqueColumns = columns.length;
    document.getElementById("matrix-status").textContent = "Showing " + drawn + " of " + data.rows.length +
      " actors (" + engagedRows + " engaged), " + uniqueColumns + " of " + data.columns.length + " activities, " +
      count.total + " cells.";
    api.shown = { rows: drawn, engagedRows: engagedRows, columns: uniqueColumns, cells: count.total };
    saveHash();
  }
  api.render = render;

  // --- the card (the map's card look) --------------------------------------------------------------
  var card = document.getElementById("card");
  var cardBody = document.getElementById("card-body");
  var openCard = igfmapCard.opener(card, cardBody);
  igfmapCard.panelToggle();  // hiding the panel gives the table its width
  function closeCard() {
    card.hidden = true;
    var old = table.querySelector("td.selected");
    if (old) old.classList.remove("selected");
    state.selected = null;
    saveHash();
  }
  document.getElementById("card-close").addEventListener("click", closeCard);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeCard();
  });
  function sourceList(ids) {
    return igfmapCard.sourceList(sources, ids, "matrix");
  }
  function fields(body, pairs) {
    var dl = el("dl");
    pairs.forEach(function (pair) {
      var value = pair[1];
      if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", pair[0]));
      var dd = el("dd");
      if (pair[2] === "url") dd.appendChild(link(value));
      else dd.textContent = Array.isArray(value) ? value.join(", ") : String(value);
      dl.appendChild(dd);
    });
    body.appendChild(dl);
    return dl;
  }
  function gapNote(body, column) {
    if (uncovered[column]) body.appendChild(el("div", "Gap: no actor of the ecosystem engages on this activity (active or planned).", "gap"));
  }
  function showCell(row, column, td) {
    var keys = (cellsOf[row] || {})[column] || [];
    var old = table.querySelector("td.selected");
    if (old) old.classList.remove("selected");
    if (td) td.classList.add("selected");
    state.selected = row + "\u0000" + column;
    openCard(function (body) {
      body.appendChild(el("h2", nameOf(row) + " → " + nameOf(column)));
      body.appendChild(el("p", "ENGAGES_IN · " + keys.length + (keys.length === 1 ? " relation" : " relations"), "muted"));
      gapNote(body, column);
      keys.forEach(function (key) {
        var rel = relations[key];
        var dl = fields(body, [["Role", rel.role || "(none)"], ["Status", statusOf(rel)], ["Since", rel.since],
          ["Until", rel.until], ["Confidence", rel.confidence], ["Note", rel.note]]);
        dl.className = "rel";
        if (!state.statuses[statusOf(rel)]) body.appendChild(el("p", "(its status is filtered out of the table)", "muted"));
        body.appendChild(el("h3", "Sources"));
        body.appendChild(sourceList(rel.sources));
      });
    });
    saveHash();
  }
  api.showCell = function (row, column) {
    var td = table.querySelector('tr[data-row="' + CSS.escape(row) + '"] td[data-column="' + CSS.escape(column) + '"]');
    showCell(row, column, td);
  };
  function engagementList(body, pairs) {
    var ul = el("ul");
    pairs.forEach(function (p) {
      var li = el("li");
      var b = el("button", nameOf(p[1] === "row" ? p[0].row : p[0].column), "linkish");
      b.type = "button";
      b.addEventListener("click", function () { api.showCell(p[0].row, p[0].column); });
      li.appendChild(b);
      var labels = p[0].keys.map(function (k) { return (relations[k].role || "engaged") + ", " + statusOf(relations[k]); });
      li.appendChild(el("span", " (" + labels.join("; ") + ")", "muted"));
      ul.appendChild(li);
    });
    body.appendChild(ul);
  }
  function showActor(id) {
    var ent = entities[id] || {};
    var mine = data.cells.filter(function (c) { return c.row === id; });
    openCard(function (body) {
      body.appendChild(el("h2", ent.name || id));
      body.appendChild(el("p", [ent.type, rowById[id] ? rowById[id].group : "", id].filter(Boolean).join(" · "), "muted"));
      fields(body, [["Aliases", ent.aliases], ["Stakeholder group", ent.stakeholder_group], ["Region", ent.region],
        ["Country", ent.country], ["Website", ent.url, "url"], ["Description", ent.description]]);
      body.appendChild(el("h3", "Engages on (" + mine.length + ")"));
      engagementList(body, mine.map(function (c) { return [c, "column"]; }));
      body.appendChild(el("h3", "Sources"));
      body.appendChild(sourceList(ent.sources));
    });
  }
  function showColumn(id) {
    var ent = entities[id] || {}, col = columnById[id];
    var theirs = data.cells.filter(function (c) { return c.column === id; });
    openCard(function (body) {
      body.appendChild(el("h2", ent.name || id));
      body.appendChild(el("p", [ent.type, id].filter(Boolean).join(" · "), "muted"));
      gapNote(body, id);
      fields(body, [["Process", col && col.process !== id ? nameOf(col.process) : ""],
        ["Objectives", col ? col.objectives.map(nameOf) : []], ["Website", ent.url, "url"], ["Description", ent.description]]);
      body.appendChild(el("h3", "Engaged (" + theirs.length + ")"));
      engagementList(body, theirs.map(function (c) { return [c, "row"]; }));
      body.appendChild(el("h3", "Sources"));
      body.appendChild(sourceList(ent.sources));
    });
  }
  api.showActor = showActor;
  api.showColumn = showColumn;

  // --- controls and the URL fragment ---------------------------------------------------------------
  var groupBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-group]"));
  var statusBoxes = Array.prototype.slice.call(document.querySelectorAll("input[data-status]"));
  var rowFilter = document.getElementById("row-filter");
  var colFilter = document.getElementById("col-filter");
  var showEmpty = document.getElementById("show-empty");
  function radios(name) {
    return Array.prototype.slice.call(document.querySelectorAll('input[name="' + name + '"]'));
  }
  function readControls() {
    groupBoxes.forEach(function (b) { state.groups[b.value] = b.checked; });
    statusBoxes.forEach(function (b) { state.statuses[b.value] = b.checked; });
    radios("group-by").forEach(function (r) { if (r.checked) state.groupBy = r.value; });
    radios("sort").forEach(function (r) { if (r.checked) state.sort = r.value; });
    state.rowText = fold(rowFilter.value).trim();
    state.colText = fold(colFilter.value).trim();
    state.showEmpty = showEmpty.checked;
  }
  function update() {
    readControls();
    render();
  }
  api.update = update;
  groupBoxes.concat(statusBoxes, radios("group-by"), radios("sort"), [showEmpty]).forEach(function (b) {
    b.addEventListener("change", update);
  });
  // Typing redraws once it pauses (a big matrix takes a moment to draw).
  var typing;
  function typed() {
    clearTimeout(typing);
    typing = setTimeout(update, 120);
  }
  [rowFilter, colFilter].forEach(function (box) {
    box.addEventListener("input", typed);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        clearTimeout(typing);
        update();
      }
    });
  });
  document.getElementById("reset-filters").addEventListener("click", function () {
    groupBoxes.concat(statusBoxes).forEach(function (b) { b.checked = true; });
    rowFilter.value = "";
    colFilter.value = "";
    showEmpty.checked = false;
    state.expanded = {};
    update();
  });
  var ready = false;
  function saveHash() {
    if (!ready) return;
    var params = new URLSearchParams();
    if (state.groupBy !== "process") params.set("by", state.groupBy);
    if (state.sort !== "name") params.set("sort", state.sort);
    if (rowFilter.value) params.set("actors", rowFilter.value);
    if (colFilter.value) params.set("activities", colFilter.value);
    var offGroups = groupBoxes.filter(function (b) { return !b.checked; }).map(function (b) { return b.value; });
    if (offGroups.length) params.set("hide-group", offGroups.join(","));
    var offStatus = statusBoxes.filter(function (b) { return !b.checked; }).map(function (b) { return b.value; });
    if (offStatus.length) params.set("hide-status", offStatus.join(","));
    if (state.showEmpty) params.set("empty", "1");
    var text = params.toString();
    try {
      history.replaceState(null, "", text ? "#" + text : location.pathname + location.search);
    } catch (err) {
      location.replace("#" + text);
    }
  }
  function loadHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    radios("group-by").forEach(function (r) { r.checked = r.value === (params.get("by") || "process"); });
    radios("sort").forEach(function (r) { r.checked = r.value === (params.get("sort") || "name"); });
    rowFilter.value = params.get("actors") || "";
    colFilter.value = params.get("activities") || "";
    var offGroups = (params.get("hide-group") || "").split(",");
    groupBoxes.forEach(function (b) { b.checked = offGroups.indexOf(b.value) === -1; });
    var offStatus = (params.get("hide-status") || "").split(",");
    statusBoxes.forEach(function (b) { b.checked = offStatus.indexOf(b.value) === -1; });
    showEmpty.checked = params.get("empty") === "1";
  }

  loadHash();
  readControls();
  render();
  ready = true;
  if (meta.focus && rowById[meta.focus]) showActor(meta.focus);
  else if (meta.focus && columnById[meta.focus]) showColumn(meta.focus);
  document.body.setAttribute("data-ready", "true");
})();
