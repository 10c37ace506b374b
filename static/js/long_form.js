// Long forms never lose work (issue 20). A form.js-row-save (the self-check report's checklist) saves each
// row (tr[data-pk]) when it changes: fetch POST with the CSRF token and Accept: application/json; the row
// shows 保存中…/已保存/保存失败, the progress badge and the gaps panel follow the server's answer. A file
// chosen on a row is sent with the row (the answer is saved first, then the file attaches to it).
// Leaving the page with unsaved rows (or an edited form.js-dirty-watch) asks first; a form.js-file-report
// (submit / resubmit) first saves what is pending, then confirms with the list of what is still missing.
(function () {
  const form = document.querySelector("form.js-row-save");
  const gapsBox = document.getElementById("report-gaps");
  const progress = document.getElementById("checklist-progress");
  const pending = new Set(); // rows changed and not (yet) saved
  const running = new Map(); // row pk -> promise of its save
  let lastGaps = gapsBox ? Array.from(gapsBox.querySelectorAll(".gap-list li")).map((li) => li.textContent) : [];
  let figuresDirty = false;

  function csrf(f) {
    const input = f.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function setState(row, text, cls) {
    const out = row.querySelector(".row-state");
    if (!out) return;
    out.textContent = text;
    out.className = "small row-state " + cls;
  }
  function showGaps(gaps) {
    lastGaps = gaps;
    if (!gapsBox) return;
    gapsBox.classList.toggle("alert-warning", gaps.length > 0);
    gapsBox.classList.toggle("alert-success", gaps.length === 0);
    gapsBox.replaceChildren();
    if (gaps.length) {
      const head = document.createElement("strong");
      head.textContent = gapsBox.dataset.gapsHead;
      const ul = document.createElement("ul");
      ul.className = "mb-0 gap-list";
      gaps.forEach((g) => { const li = document.createElement("li"); li.textContent = g; ul.appendChild(li); });
      gapsBox.append(head, ul);
    } else {
      const span = document.createElement("span");
      span.className = "gap-none";
      span.textContent = gapsBox.dataset.complete;
      gapsBox.appendChild(span);
    }
  }
  function showFiles(row, files) {
    const box = row.querySelector(".row-files");
    if (!box || !files) return;
    box.replaceChildren();
    files.forEach((a) => {
      const div = document.createElement("div");
      div.className = "small";
      const link = document.createElement("a");
      link.href = a.url;
      link.textContent = a.name;
      const icon = document.createElement("i");
      icon.className = "bi bi-paperclip";
      div.append(icon, " ", link);
      box.appendChild(div);
    });
  }
  function saveRow(row) {
    const pk = row.dataset.pk;
    const answer = row.querySelector(".row-answer");
    const note = row.querySelector(".row-note");
    const file = row.querySelector(".row-evidence");
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf(form));
    data.append("answer_" + pk, answer ? answer.value : "");
    data.append("note_" + pk, note ? note.value : "");
    if (file && file.files.length) data.append("evidence_" + pk, file.files[0]);
    if (answer && !answer.value && !(file && file.files.length)) {
      pending.delete(pk); // nothing to save: an empty answer is not an answer
      setState(row, "", "");
      return Promise.resolve(true);
    }
    setState(row, form.dataset.saving, "text-muted");
    const p = fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf(form) },
    })
      .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
      .then(({ ok, body }) => {
        const state = (body.rows || {})[pk];
        if (ok && state && state.ok) {
          pending.delete(pk);
          row.classList.remove("row-unanswered");
          setState(row, form.dataset.saved, "text-success");
          showFiles(row, state.evidence);
          if (file) file.value = "";
        } else {
          setState(row, form.dataset.failed + ((state && state.error) ? ": " + state.error : ""), "text-danger");
        }
        if (progress && body.total) {
          progress.textContent = progress.dataset.template.replace("{n}", body.answered).replace("{total}", body.total);
        }
        if (body.gaps) showGaps(body.gaps);
        return ok;
      })
      .catch(() => { setState(row, form.dataset.failed, "text-danger"); return false; })
      .finally(() => running.delete(pk));
    running.set(pk, p);
    return p;
  }
  function flush() {
    const rows = Array.from(pending).map((pk) => form.querySelector('tr[data-pk="' + pk + '"]')).filter(Boolean);
    return Promise.all(rows.map(saveRow).concat(Array.from(running.values()))).then((oks) => oks.every(Boolean));
  }
  if (form) {
    form.addEventListener("change", (event) => {
      const row = event.target.closest("tr[data-pk]");
      if (!row) return;
      pending.add(row.dataset.pk);
      saveRow(row);
    });
    form.addEventListener("input", (event) => {
      const row = event.target.closest("tr[data-pk]");
      if (row && event.target.classList.contains("row-note")) pending.add(row.dataset.pk);
    });
    form.addEventListener("submit", () => pending.clear()); // the whole form is posted: nothing is left behind
  }
  const figures = document.getElementById("report-form");
  if (figures) {
    figures.addEventListener("input", () => { figuresDirty = true; });
    figures.addEventListener("submit", () => { figuresDirty = false; });
  }
  window.addEventListener("beforeunload", (event) => {
    if (pending.size || running.size || figuresDirty) {
      event.preventDefault();
      event.returnValue = form ? form.dataset.leave : "";
    }
  });
  document.querySelectorAll("form.js-file-report").forEach((fileForm) => {
    fileForm.addEventListener("submit", (event) => {
      if (fileForm.dataset.ready === "1") return;
      event.preventDefault();
      const done = form ? flush() : Promise.resolve(true);
      done.then((ok) => {
        let msg = fileForm.dataset.confirmHead || "";
        if (figuresDirty && figures) msg = figures.dataset.unsaved + "\n\n" + msg;
        if (!ok && form) msg = form.dataset.failed + "\n\n" + msg;
        if (lastGaps.length) msg += "\n\n" + (gapsBox ? gapsBox.dataset.gapsHead : "") + "\n- " + lastGaps.join("\n- ");
        if (window.confirm(msg)) {
          figuresDirty = false;
          pending.clear();
          fileForm.dataset.ready = "1";
          fileForm.submit();
        }
      });
    });
  });
})();
