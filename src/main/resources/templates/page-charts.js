// The result page's charts, drawn with uPlot (inlined above) from the JSON in #chart-data:
// series over time on one x axis (seconds from the run's first send, the same range for every chart, the
// cursor synchronised; a series marked reference drawn dashed), then per group the CDFs of TTFT, TPOT and
// ITL. When done it writes the number of charts whose canvas has a size on <body data-charts-rendered>,
// which the browser test compares with data-charts-expected.
(function () {
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var colors = ['#4a78b5', '#d9822b', '#3c8d40', '#b53a4a'];
  var made = [];
  function figure(parent, title) {
    var f = document.createElement('figure');
    f.className = 'uchart';
    var c = document.createElement('figcaption');
    c.textContent = title;
    f.appendChild(c);
    parent.appendChild(f);
    return f;
  }
  function lines(labels) {
    var series = [{}];
    labels.forEach(function (label, i) {
      series.push({label: label, stroke: colors[i % colors.length], width: 1.5, points: {show: false}});
    });
    return series;
  }
  // A y axis as wide as its widest value: uPlot's fixed default (50 px) overlaps the unit with '80,000'
  // (GPU MiB). At least 60 px, so the charts of short values keep one plot width and their x axes line up.
  function fitValues(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1) {
      return axis._size;
    }
    var size = axis.ticks.size + axis.gap;
    var longest = (values || []).reduce(function (a, v) { return v.length > a.length ? v : a; }, '');
    if (longest !== '') {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(longest).width / devicePixelRatio;
    }
    return Math.max(60, Math.ceil(size));
  }
  var timeBox = document.getElementById('time-charts');
  data.time.forEach(function (c) {
    var series = lines(c.series.map(function (s) { return s.label; }));
    series[0].label = 's';
    // A reference (a GPU's memory total) is a limit, not a measure: grey and dashed.
    c.series.forEach(function (s, i) {
      if (s.reference) {
        series[i + 1].stroke = '#888';
        series[i + 1].dash = [6, 4];
      }
    });
    made.push(new uPlot({
      width: 560, height: 220, series: series,
      scales: {x: {time: false, range: function () { return data.xRange; }}},
      axes: [{label: 'seconds from the first send'}, {label: c.unit, size: fitValues}],
      cursor: {sync: {key: 'time'}}
    }, [c.x].concat(c.series.map(function (s) { return s.values; })), figure(timeBox, c.title)));
  });
  data.cdf.forEach(function (c) {
    var series = lines([c.title]);
    series[0].label = c.unit;
    made.push(new uPlot({
      width: 400, height: 220, series: series,
      scales: {x: {time: false}, y: {range: [0, 1]}},
      axes: [{label: c.unit}, {label: 'fraction at or below'}]
    }, [c.x, c.y], figure(document.getElementById(c.box), c.title + ', ' + c.caption)));
  });
  // After the first frame: uPlot sizes its canvas when it commits.
  setTimeout(function () {
    var rendered = made.filter(function (u) {
      var canvas = u.root.querySelector('canvas');
      return canvas && canvas.width > 0 && canvas.height > 0;
    }).length;
    document.body.setAttribute('data-charts-rendered', String(rendered));
  }, 0);
})();
