// The page code of graphkit's network views (see network.html): it reads the JSON data block, builds
// tooltips and the legend as DOM text, draws the network with vis-network and stops the physics once laid out.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gk-data").textContent);
  var page = data.page;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  // A tooltip as DOM text: data never goes through innerHTML. Each node and edge gets an empty
  // <gk-tip> element that builds its content only when vis-network first shows it, so thousands of
  // tooltips cost nothing at load.
  function fill(box, tip) {
    box.appendChild(el("div", "gk-tip-head", tip.head));
    if (tip.kind) { box.appendChild(el("div", "gk-tip-kind", tip.kind)); }
    (tip.rows || []).forEach(function (r) {
      var row = el("div", "gk-tip-row");
      row.appendChild(el("span", "gk-tip-key", r[0] + ": "));
      row.appendChild(document.createTextNode(String(r[1])));
      box.appendChild(row);
    });
    (tip.evidence || []).forEach(function (e) {
      box.appendChild(el("blockquote", "gk-tip-quote", "\u201c" + e.quote + "\u201d"));
      box.appendChild(el("div", "gk-tip-source",
        "source: " + e.document + (e.title && e.title !== e.document ? " \u2014 " + e.title : "")));
    });
    if (tip.more) { box.appendChild(el("div", "gk-tip-more", "\u2026 and " + tip.more + " more")); }
  }
  if (!customElements.get("gk-tip")) {
    customElements.define("gk-tip", class extends HTMLElement {
      connectedCallback() {
        if (this.gkTip && !this.gkBuilt) { this.gkBuilt = true; fill(this, this.gkTip); }
      }
    });
  }
  function tooltip(tip) {
    var box = document.createElement("gk-tip");
    box.gkTip = tip;
    return box;
  }
  data.nodes.forEach(function (n) { if (n.tip) { n.title = tooltip(n.tip); } });
  data.edges.forEach(function (e) { if (e.tip) { e.title = tooltip(e.tip); } });

  // The legend, from the same data.
  var legend = document.getElementById("gk-legend");
  (page.legend || []).forEach(function (section) {
    legend.appendChild(el("h2", null, section.title));
    var list = el("ul");
    section.items.forEach(function (item) {
      var li = el("li");
      if (item.line) {
        var line = el("span", "gk-line");
        line.style.borderTopColor = item.color;
        li.appendChild(line);
      } else {
        var sw = el("span", "gk-swatch", item.glyph || "\u25cf");
        sw.style.color = item.color;
        li.appendChild(sw);
      }
      li.appendChild(el("span", null, item.label));
      if (item.count !== undefined && item.count !== null) { li.appendChild(el("span", "gk-count", item.count)); }
      list.appendChild(li);
    });
    legend.appendChild(list);
  });
  document.getElementById("gk-summary").textContent = page.summary || "";

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var status = document.getElementById("gk-status");
  window.gkNodes = nodes;
  window.gkEdges = edges;
  window.gkNetwork = network;
  window.gkSettled = false;

  // Lay out once, then stop the physics so a large graph stays still and responsive.
  function settle() {
    if (window.gkSettled) { return; }
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    window.gkSettled = true;
    document.body.setAttribute("data-settled", "true");
    status.textContent = "";
  }
  var physics = data.options.physics;
  if (physics && physics.enabled !== false) {
    status.textContent = "Laying out\u2026";
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out\u2026 " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", settle);
    setTimeout(settle, page.settle_ms || 30000);
  } else {
    network.once("afterDrawing", settle);
  }

  // Find a node by (part of) its name: select every match and zoom to the first.
  document.getElementById("gk-search").addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var q = ev.target.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); return; }
    var hits = nodes.getIds({ filter: function (n) { return String(n.label || "").toLowerCase().indexOf(q) >= 0; } });
    status.textContent = hits.length + " found";
    if (hits.length) {
      network.selectNodes(hits);
      network.focus(hits[0], { scale: 1.2, animation: false });
    }
  });
})();
