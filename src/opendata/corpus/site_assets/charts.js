/* Draws every <div class="chart" data-chart='{"labels":[],"values":[],"texts":[],"unit":""}'> as a bar
   chart with the vendored ECharts (SVG renderer); values are in the unit `unit` names (the table's printed unit), texts as printed with their unit. Each chart gets
   data-marks = the number of bars drawn; an uncaught error is written to <body data-error>. */
(function () {
  "use strict";
  var BAR = "#3b6ea5";
  window.addEventListener("error", function (e) {
    document.body.setAttribute("data-error", String(e.message || e));
  });
  function draw(el) {
    var d = JSON.parse(el.getAttribute("data-chart"));
    var many = d.labels.length > 6;
    var chart = echarts.init(el, null, { renderer: "svg" });
    var category = { type: "category", data: d.labels, inverse: many, axisLabel: { interval: 0, width: 160, overflow: "truncate" } };
    var value = { type: "value", name: d.unit };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + d.texts[p.dataIndex]; } },
      grid: { containLabel: true, left: 8, right: 40, top: 30, bottom: 8 },
      xAxis: many ? value : category,
      yAxis: many ? category : value,
      series: [{ type: "bar", data: d.values, itemStyle: { color: BAR }, barMaxWidth: 40 }]
    });
    var marks = 0;
    el.querySelectorAll("svg path").forEach(function (p) {
      if ((p.getAttribute("fill") || "").toLowerCase() === BAR) { marks += 1; }
    });
    el.setAttribute("data-marks", String(marks));
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.querySelectorAll(".chart").forEach(draw);
}());
