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
})();
