// The plan's Gantt chart (frappe-gantt), drawn from the JSON data block #gantt-data.
// Without JavaScript the page still shows the same activities as a table.
//
// On top of frappe-gantt: stage rows, a thin bar under each activity for its actual dates
// (planned vs actual), milestones as diamonds, view buttons and popups with our own labels.
(function () {
  "use strict";
  var section = document.getElementById("gantt-chart");
  var holder = document.getElementById("gantt");
  var dataEl = document.getElementById("gantt-data");
  if (!section || !holder || !dataEl || typeof window.Gantt === "undefined") return;
  var data = JSON.parse(dataEl.textContent);
  if (!data.tasks || !data.tasks.length) return;
  var labels = data.labels || {};
  // frappe-gantt writes a task's name with innerHTML: hand it escaped text.
  data.tasks.forEach(function (task) { task.name = esc(task.name); });
  var SVG = "http://www.w3.org/2000/svg";
  var DAY_MS = 86400000;
  var gantt;

  section.hidden = false;

  function esc(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // "YYYY-MM-DD" → local midnight, as frappe-gantt parses task dates.
  function parseDay(iso) {
    var p = iso.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]);
  }

  // Same arithmetic as frappe-gantt's date_utils.diff, for the units its view modes use.
  function diff(a, b, unit) {
    var ms = a - b + (b.getTimezoneOffset() - a.getTimezoneOffset()) * 60000;
    var months = (a.getFullYear() - b.getFullYear()) * 12 + (a.getMonth() - b.getMonth()) + a.getDate() / 31;
    if (a.getDate() < b.getDate()) months--;
    var value = { hour: ms / 3600000, day: ms / DAY_MS, month: months, year: months / 12 }[unit.replace(/s$/, "")];
    return Math.round(value * 100) / 100;
  }

  function xFor(date) {
    var c = gantt.config;
    return (diff(date, gantt.gantt_start, c.unit) / c.step) * c.column_width;
  }

  function svg(tag, attrs) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  // Idempotent: frappe-gantt redraws everything on a view change, and calls back during its constructor.
  function decorate() {
    holder.querySelectorAll(".bar-actual, .milestone-diamond").forEach(function (el) { el.remove(); });
    data.tasks.forEach(function (task) {
      if (task.stage_row) return;
      var wrapper = holder.querySelector('.bar-wrapper[data-id="' + task.id + '"]');
      var bar = wrapper && wrapper.querySelector("rect.bar");
      if (!bar) return;
      var group = wrapper.querySelector(".bar-group") || wrapper;
      var y = +bar.getAttribute("y");
      var h = +bar.getAttribute("height");
      if (task.actual_start && task.actual_end) {
        var start = xFor(parseDay(task.actual_start));
        var end = xFor(new Date(parseDay(task.actual_end).getTime() + DAY_MS));
        var actual = svg("rect", {
          x: start, y: y + h + 2, width: Math.max(end - start, 3), height: 5, rx: 1, ry: 1, "class": "bar-actual",
        });
        actual.appendChild(svg("title", {})).textContent = labels.actual + ": " + task.actual;
        group.appendChild(actual);
      }
      if (task.milestone) {
        wrapper.classList.add("milestone");
        var cx = +bar.getAttribute("x") + (+bar.getAttribute("width")) / 2;
        var cy = y + h / 2;
        var r = h / 2;
        group.appendChild(svg("polygon", {
          points: [cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy].join(" "), "class": "milestone-diamond",
        }));
      }
    });
  }

  // Today a third of the way into the visible part, so the weeks before it show too.
  function scrollToToday() {
    var container = gantt.$container;
    if (!container) return;
    var x = xFor(parseDay(data.today));
    container.scrollLeft = Math.max(0, x - container.clientWidth / 3);
  }

  function popup(ctx) {
    var t = ctx.task;
    if (t.stage_row) {
      return '<div class="title">' + t.name + '</div><div class="details">' +  // already escaped
        esc(labels.activities) + ": " + esc(t.count) + "<br>" + esc(labels.progress) + ": " + esc(t.progress) + " %</div>";
    }
    var rows = [
      [labels.responsible, t.responsible],
      [labels.planned, t.planned],
      [labels.actual, t.actual || labels.not_started_yet],
      [labels.progress, t.progress + " %"],
      [labels.status, t.status_label],
    ];
    if (t.depends_on && t.depends_on.length) rows.push([labels.depends_on, t.depends_on.join(", ")]);
    if (t.milestone) rows.push([labels.milestone, "◆"]);
    return '<div class="title">' + esc(t.code) + " " + esc(t.title) + '</div><dl class="details">' +
      rows.map(function (r) { return "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>"; }).join("") + "</dl>";
  }

  function pressed(mode) {
    document.querySelectorAll("[data-gantt-view]").forEach(function (btn) {
      btn.setAttribute("aria-pressed", btn.getAttribute("data-gantt-view") === mode ? "true" : "false");
    });
  }

  var started = performance.now();
  gantt = new window.Gantt(holder, data.tasks, {
    language: data.language || "es",
    view_mode: data.view_mode || "Month",
    readonly: true,
    today_button: false,
    view_mode_select: false,
    holidays: {},
    infinite_padding: false,
    bar_height: 22,
    padding: 16,
    lower_header_height: 26,
    upper_header_height: 34,
    container_height: Math.min(720, 70 + data.tasks.length * 38),
    scroll_to: "start",
    popup_on: "click",
    popup: popup,
    on_view_change: function (mode) {
      gantt = this; // also called from inside the constructor, before `new` returns
      decorate();
      pressed(mode.name);
      if (data.scroll_to === "today") scrollToToday();
    },
  });
  holder.setAttribute("data-render-ms", String(Math.round(performance.now() - started)));

  document.querySelectorAll("[data-gantt-view]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      gantt.change_view_mode(btn.getAttribute("data-gantt-view"));
    });
  });
  var today = document.querySelector("[data-gantt-today]");
  if (today) today.addEventListener("click", scrollToToday);
})();
