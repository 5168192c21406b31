// Small progressive enhancements; the pages work without JavaScript.
(function () {
  "use strict";
  // Auto-submit elements marked data-autosubmit (e.g. the language selector) on change.
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.closest && el.closest("[data-autosubmit]")) {
      el.form && el.form.requestSubmit();
    }
  });
  // Main menu and account menu: one group open at a time; Escape or a click elsewhere closes
  // it; on narrow screens the "Menú" button shows and hides the whole main menu.
  function closeGroups(except) {
    document.querySelectorAll("details[data-navgroup][open]").forEach(function (d) {
      if (d !== except) { d.removeAttribute("open"); }
    });
  }
  document.addEventListener("toggle", function (ev) {
    var el = ev.target;
    if (el && el.matches && el.matches("details[data-navgroup]") && el.open) { closeGroups(el); }
  }, true);
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-menu-button]");
    if (button) {
      var nav = button.closest(".mainnav");
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    if (!ev.target.closest || !ev.target.closest("details[data-navgroup]")) { closeGroups(null); }
  });
  // Sites picker: shortcuts for the Sede Central, every UT, and none (shown only with JavaScript).
  document.querySelectorAll("[data-site-shortcuts]").forEach(function (el) { el.hidden = false; });
  document.addEventListener("click", function (ev) {
    var pick = ev.target.closest && ev.target.closest("[data-pick]");
    if (!pick) { return; }
    var picker = pick.closest("[data-site-picker]");
    var kind = pick.getAttribute("data-pick");
    picker.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (kind === "none") { box.checked = false; }
      else if (box.getAttribute("data-site-kind") === kind) { box.checked = true; }
    });
  });
  // Long lists of people: a box above the list filters its options by name
  // (select[data-filter-options], the attribute holding the box's label).
  document.querySelectorAll("select[data-filter-options]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "filter-options";
    box.placeholder = select.getAttribute("data-filter-options");
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("data-filters", select.name);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (option) {
        var text = option.text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
        option.hidden = !option.selected && !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      var open = document.querySelector("details[data-navgroup][open]");
      if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
    }
  });
})();
