/* igf-mapper card helpers shared by the map page (map.js) and the matrix page (matrix.js), which
   each get this file inlined before their own script. Every value becomes text (textContent);
   a URL becomes a link only when it is http(s). */
var igfmapCard = (function () {
  "use strict";
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
  /* One cited source as a list item: title, kind/date/locator, id, and its link. ``sources`` is the
     page's {id: source} map; ``where`` names the page in the note for a source it does not hold. */
  function sourceItem(sources, id, where) {
    var src = sources[id];
    var li = el("li", null, "src");
    if (!src) {
      li.textContent = id + " (source not in this " + where + ")";
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
  function sourceList(sources, ids, where) {
    var ul = el("ul");
    (ids || []).forEach(function (id) { ul.appendChild(sourceItem(sources, id, where)); });
    return ul;
  }
  /* The open function of a page's card: it empties the card's body, lets ``build`` fill it, and
     shows the card. */
  function opener(card, body) {
    return function (build) {
      while (body.firstChild) body.removeChild(body.firstChild);
      build(body);
      card.hidden = false;
    };
  }
  /* The header's button that hides and shows the side panel (both pages: the drawing area or
     the table gets the width); ``changed`` runs after each change (the map refits). */
  function panelToggle(changed) {
    var panel = document.getElementById("panel"), button = document.getElementById("panel-toggle");
    if (!panel || !button) return;
    button.addEventListener("click", function () {
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
      button.textContent = (panel.hidden ? "Show " : "Hide ") + button.getAttribute("data-what");
      if (changed) changed();
    });
  }
  return {
    el: el, safeUrl: safeUrl, link: link, sourceItem: sourceItem, sourceList: sourceList, opener: opener,
    panelToggle: panelToggle
  };
})();
