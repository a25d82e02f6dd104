// medpolicy pages: small enhancements over server-rendered HTML (everything works without them).
// 1. Search boxes marked data-suggest get suggestions as you type (an ARIA combobox).
// 2. Links to facts in a policy's text scroll to the fact and highlight it.
"use strict";

(function () {
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // --- suggestions -------------------------------------------------------------------------------

  function setUpSuggest(input, index) {
    var list = document.createElement("ul");
    var listId = "suggest-list-" + index;
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    list.id = listId;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    input.parentElement.classList.add("has-suggest");
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(next) {
      var options = list.children;
      if (!options.length) return;
      active = (next + options.length) % options.length;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (item, i) {
        var option = document.createElement("li");
        var kind = document.createElement("span");
        var label = document.createElement("span");
        var detail = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        kind.className = "suggest-kind";
        kind.textContent = item.kind === "code" ? "Code" : "Policy";
        label.className = "suggest-label" + (item.kind === "code" ? " is-code" : "");
        label.textContent = item.label;
        detail.className = "suggest-detail";
        detail.textContent = item.detail || "";
        option.append(kind, label, detail);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.assign(item.url);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      var ticket = ++latest;
      if (query.length < 2) {
        show([]);
        return;
      }
      fetch("/api/v1/suggest?limit=6&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (ticket === latest) show(found); })
        .catch(function () { if (ticket === latest) show([]); });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight(active + 1);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  // --- facts in a policy's text ------------------------------------------------------------------

  function activate(target) {
    var previous = document.querySelectorAll(".doc-text mark.is-active, .fact-list a.is-active");
    for (var i = 0; i < previous.length; i++) previous[i].classList.remove("is-active");
    var fact = target.getAttribute("data-fact");
    var pieces = fact ? document.querySelectorAll('.doc-text mark[data-fact="' + CSS.escape(fact) + '"]') : [target];
    for (var j = 0; j < pieces.length; j++) pieces[j].classList.add("is-active");
    var links = document.querySelectorAll('a[data-fact-link][href="#' + CSS.escape(target.id) + '"]');
    for (var k = 0; k < links.length; k++) links[k].classList.add("is-active");
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    target.focus({ preventScroll: true });
  }

  function setUpFactLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-fact-link]");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      history.replaceState(null, "", "#" + target.id);
      activate(target);
    });
    if (window.location.hash.length > 1) {
      var initial = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (initial && initial.tagName === "MARK") activate(initial);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-suggest]");
    for (var i = 0; i < inputs.length; i++) setUpSuggest(inputs[i], i);
    setUpFactLinks();
  });
})();
