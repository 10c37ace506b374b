// Dashboard charts (ECharts, vendored). Data comes from json_script elements; no inline script (CSP).
// A click on a bar opens the filtered list behind it (the URL travels with each data point).
(function () {
  if (typeof echarts === "undefined") return;
  const COLORS = { compliant: "#70ad47", borderline: "#ffc000", violation: "#c00000", pending: "#7f7f7f" };
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const source = document.getElementById(el.dataset.chart);
    if (!source) return;
    const d = JSON.parse(source.textContent);
    // Canvas, not SVG: the SVG renderer replaces a bar's node when hover highlights it, and a press whose
    // mousedown landed on the old node then ends without a click (fast clicks and taps lost the drill-down).
    const chart = echarts.init(el, null, { renderer: "canvas" });
    const horizontal = d.type === "hbar" || d.type === "stack";
    const catAxis = { type: "category", data: d.categories, axisLabel: { interval: 0, width: 110, overflow: "truncate" } };
    const valAxis = { type: "value", minInterval: 1, max: d.max };
    const series = d.series.map((s) => ({
      name: s.name,
      type: "bar",
      stack: d.type === "stack" ? "total" : undefined,
      itemStyle: s.state && COLORS[s.state] ? { color: COLORS[s.state] } : undefined,
      label: { show: d.type !== "stack", position: horizontal ? "right" : "top" },
      data: s.data.map((v, i) => ({ value: v, url: s.urls[i] })),
    }));
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      legend: d.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 130 : 40, right: 40, top: d.series.length > 1 ? 32 : 16, bottom: horizontal ? 24 : 60 },
      xAxis: horizontal ? valAxis : Object.assign({}, catAxis, { axisLabel: { interval: 0, rotate: 35, width: 90, overflow: "truncate" } }),
      yAxis: horizontal ? Object.assign({}, catAxis, { inverse: true }) : valAxis,
      series: series,
    });
    chart.on("click", (params) => {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    el.dataset.ready = "1";
    window.addEventListener("resize", () => chart.resize());
  });
})();
