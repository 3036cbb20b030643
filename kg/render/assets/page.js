// kg graph page: draws the embedded graph with vis-network, wires search, legend and details.
// Tooltip HTML was escaped piece by piece when the page was written (kg/render/tooltip.py);
// every other piece of text is set with textContent or as a property, never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var container = document.getElementById("kg-network");
  var details = document.getElementById("kg-details");
  var status = document.getElementById("kg-search-status");

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  // Each article line and source sentence is in the page once (data.articles, data.quotes);
  // tooltips cite them by number.
  var parsed = { article: [], quote: [] };
  var texts = { article: data.articles, quote: data.quotes };
  function citation(kind, number) {
    if (!parsed[kind][number]) parsed[kind][number] = parse(texts[kind][number] || "");
    return parsed[kind][number].cloneNode(true);
  }

  // A tooltip's element, made when it is first needed: big pages open faster.
  function tooltip(item) {
    if (typeof item.title === "string") {
      var element = parse(item.title).firstElementChild;
      ["article", "quote"].forEach(function (kind) {
        element.querySelectorAll("span[data-kg-" + kind + "]").forEach(function (slot) {
          slot.replaceWith(citation(kind, Number(slot.getAttribute("data-kg-" + kind))));
        });
      });
      item.title = element;
    }
    return item.title;
  }

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  window.kg = { nodes: nodes, edges: edges, network: null, ready: false };

  function markReady() {
    window.kg.ready = true;
    document.body.setAttribute("data-ready", "true");
  }

  if (data.nodes.length === 0) {
    var empty = document.createElement("p");
    empty.className = "kg-empty";
    empty.textContent = "No entity matches these filters.";
    container.appendChild(empty);
    markReady();
    return;
  }

  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.kg.network = network;
  if (data.options.physics && data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  function prepare(dataset, id) {
    var item = dataset.get(id);
    if (typeof item.title === "string") dataset.update({ id: id, title: tooltip(item) });
    return dataset.get(id).title;
  }

  // vis.js reads an item's title when its tooltip opens, a moment after the hover event.
  network.on("hoverNode", function (params) { prepare(nodes, params.node); });
  network.on("hoverEdge", function (params) { prepare(edges, params.edge); });

  function showDetails(element) {
    details.replaceChildren(element.cloneNode(true));
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails(prepare(nodes, params.nodes[0]));
    } else if (params.edges.length) {
      showDetails(prepare(edges, params.edges[0]));
    }
  });

  // Search: labels, aliases and ISO codes, exact match first, then the most important partial match.
  var names = document.getElementById("kg-names");
  var byName = new Map();
  data.nodes.forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.label;
    names.appendChild(option);
    node.names.forEach(function (name) {
      var key = name.toLocaleLowerCase();
      if (!byName.has(key)) byName.set(key, node.id);
    });
  });

  function find(text) {
    var wanted = text.trim().toLocaleLowerCase();
    if (!wanted) return null;
    if (byName.has(wanted)) return byName.get(wanted);
    var hit = null;
    byName.forEach(function (id, name) {
      if (hit === null && name.indexOf(wanted) !== -1) hit = id;
    });
    return hit;
  }

  function focusOn(id) {
    var node = nodes.get(id);
    if (node.hidden) nodes.update({ id: id, hidden: false });
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400 } });
    showDetails(prepare(nodes, id));
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search();
  });
  document.getElementById("kg-search").addEventListener("change", search);

  function search() {
    var text = document.getElementById("kg-search").value;
    var id = find(text);
    status.textContent = id === null ? (text.trim() ? "not found" : "") : "";
    if (id !== null) focusOn(id);
  }

  // Legend: each entity type and relation can be hidden and shown again.
  function toggle(dataset, field, value, visible) {
    var changes = dataset.get({ filter: function (item) { return item[field] === value; } })
      .map(function (item) { return { id: item.id, hidden: !visible }; });
    dataset.update(changes);
  }

  document.querySelectorAll("input[data-kind]").forEach(function (box) {
    box.addEventListener("change", function () { toggle(nodes, "kind", box.getAttribute("data-kind"), box.checked); });
  });
  document.querySelectorAll("input[data-relation]").forEach(function (box) {
    box.addEventListener("change", function () {
      toggle(edges, "relation", box.getAttribute("data-relation"), box.checked);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") network.unselectAll();
  });
})();
