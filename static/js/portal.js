// Behaviour that templates ask for with data attributes; no inline scripts (CSP-friendly).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.classList.contains("js-autosubmit") && el.form) el.form.submit();
});
document.addEventListener("submit", (event) => {
  const msg = event.target.dataset.confirm;
  if (msg && !window.confirm(msg)) event.preventDefault();
});
// Progress of a background job: <div data-progress-url="..."> polls JSON {progress, status, done_url}.
function pollProgress(box) {
  const url = box.dataset.progressUrl;
  const bar = box.querySelector(".progress-bar");
  const label = box.querySelector(".progress-label");
  const tick = () => fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((data) => {
      const pct = Math.round(data.progress || 0);
      if (bar) { bar.style.width = pct + "%"; bar.textContent = pct + "%"; }
      if (label) label.textContent = data.status_display || data.status || "";
      if (data.status === "done" || data.status === "failed") {
        if (data.done_url) window.location.href = data.done_url; else window.location.reload();
      } else {
        window.setTimeout(tick, 1000);
      }
    })
    .catch(() => window.setTimeout(tick, 3000));
  tick();
}
document.querySelectorAll("[data-progress-url]").forEach(pollProgress);
// Bulk choice: <input data-choose-all="CLASS"> ticks every checkbox of that class; #bulk-chosen counts them.
function countChosen() {
  const out = document.getElementById("bulk-chosen");
  if (!out) return;
  const n = document.querySelectorAll("input.violation-choice:checked").length;
  out.textContent = (out.dataset.template || "{n}").replace("{n}", n);
}
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.dataset && el.dataset.chooseAll) {
    document.querySelectorAll("input." + el.dataset.chooseAll).forEach((box) => { box.checked = el.checked; });
  }
  countChosen();
});
// Text limits (issue 20): every textarea with a maxlength shows "n / max" under it, red at the limit.
function attachCounter(field) {
  if (field.dataset.counted) return;
  field.dataset.counted = "1";
  const out = document.createElement("div");
  out.className = "form-text text-end char-counter";
  out.setAttribute("aria-live", "polite");
  const max = parseInt(field.getAttribute("maxlength"), 10);
  const update = () => {
    out.textContent = field.value.length + " / " + max;
    out.classList.toggle("text-danger", field.value.length >= max);
  };
  field.addEventListener("input", update);
  field.insertAdjacentElement("afterend", out);
  update();
}
document.querySelectorAll("textarea[maxlength]").forEach(attachCounter);
