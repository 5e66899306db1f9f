// The workbench's keyboard and small helpers, for every task kind:
// - a digit picks the input marked data-key="N" (a choice, a label); data-then moves the focus on afterwards;
//   in a focused rating dimension it picks that score, on a focused ranked response that rank;
// - Ctrl+Enter (or Cmd+Enter) submits; Ctrl+Left (Cmd+Left) reopens the last answer; Esc leaves a text box; ? lists the keys;
// - what is typed is kept as a draft on the server (and on this device until the server has it);
// - the time on the task and the lease left are shown, with a warning before the lease runs out;
// - active time (the tab visible, input in the last two minutes) is counted and sent with the answer: it is what is paid;
// - textareas with data-count show a live character count;
// - rankings reorder by drag and drop, or Alt+Up/Down on a focused response, renumbering the rank boxes.
const form = document.getElementById("task-form");
const typingIn = (target) => target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
  || (target instanceof HTMLInputElement && !["radio", "checkbox", "button", "submit"].includes(target.type))
  || (target instanceof HTMLElement && target.isContentEditable);
const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

if (form) {
  const assignment = form.dataset.assignment;
  const localKey = `verity-draft-${assignment}`;
  const draftStatus = document.getElementById("draft-status");
  const ranking = document.getElementById("ranking");

  const countAll = () => {
    for (const area of form.querySelectorAll("textarea[data-count]")) {
      document.getElementById(area.dataset.count).textContent = String(area.value.trim().length);
    }
  };
  for (const area of form.querySelectorAll("textarea[data-count]")) area.addEventListener("input", countAll);
  countAll();

  // Drafts. The form itself is posted (with its antiforgery token) to the page's draft handler; a redirect means the
  // session ended, so the draft stays on this device until a later save (after signing in again) succeeds.
  const own = (name) => !["AssignmentId", "IdempotencyKey", "__RequestVerificationToken", "Supersedes", "ActiveSeconds"].includes(name);
  const snapshot = () => [...new FormData(form).entries()].filter(([name]) => own(name));
  const restore = (entries) => {
    const values = new Map();
    for (const [name, value] of entries) values.set(name, [...(values.get(name) ?? []), value]);
    for (const field of form.elements) {
      if (!field.name || !own(field.name) || field.type === "hidden") continue;
      const given = values.get(field.name) ?? [];
      if (field.type === "radio" || field.type === "checkbox") field.checked = given.includes(field.value);
      else if (given.length > 0) field.value = given[0];
    }
    countAll();
  };
  let timer = null;
  const save = async () => {
    timer = null;
    const body = new FormData(form);
    try {
      const response = await fetch(`${form.action}?handler=Draft`, { method: "POST", body, redirect: "manual", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      localStorage.removeItem(localKey);
      if (draftStatus) draftStatus.textContent = `Draft saved ${new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    } catch {
      if (draftStatus) draftStatus.textContent = "Draft kept on this device only: sign in again to save it";
    }
  };
  const changed = () => {
    if (!draftStatus) return; // changing a submitted answer keeps no draft
    localStorage.setItem(localKey, JSON.stringify(snapshot()));
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 600);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => { if (timer) clearTimeout(timer); });
  const unsaved = draftStatus && localStorage.getItem(localKey);
  if (unsaved) {
    restore(JSON.parse(unsaved));
    save();
  }

  // The time on the task, and the lease: a warning two minutes before it runs out.
  const spent = document.getElementById("time-spent");
  const lease = document.getElementById("lease");
  // The server says how long, not until when, so a page whose clock is off still counts right.
  const loaded = Date.now();
  const tick = () => {
    const elapsed = (Date.now() - loaded) / 1000;
    if (spent) spent.textContent = `time on this task ${clock(Number(spent.dataset.spent) + elapsed)}`;
    if (!lease) return;
    const left = Number(lease.dataset.left) - elapsed;
    if (left <= 0) {
      lease.textContent = "The lease ran out. Your draft is kept: reload to get this task back while it is free.";
      lease.className = "warn";
      lease.setAttribute("role", "alert");
    } else if (left <= 120) {
      lease.textContent = `Lease ends in ${clock(left)}: submit soon (your draft is kept)`;
      lease.className = "warn";
      lease.setAttribute("role", "alert");
    } else {
      lease.textContent = `lease ${clock(left)} left`;
    }
  };

  // Active time. Each stretch between two counts is active while the tab was visible, up to the idle limit after the
  // last input; a stretch with the tab hidden counts nothing. Kept for the lease across reloads of this tab; the
  // server pays no more than the time from lease to submit, whatever is sent.
  const activeField = document.getElementById("active-seconds");
  const idleMs = Number(activeField?.dataset.idle ?? 120) * 1000;
  const activeKey = `verity-active-${assignment}`;
  let active = Number(sessionStorage.getItem(activeKey)) || 0;
  let visible = document.visibilityState === "visible";
  let lastInput = Date.now();
  let lastCount = Date.now();
  const count = () => {
    const now = Date.now();
    const until = Math.min(now, lastInput + idleMs);
    if (visible && until > lastCount) active += (until - lastCount) / 1000;
    lastCount = now;
    if (activeField) activeField.value = String(Math.floor(active));
  };
  const input = () => {
    count();
    lastInput = Date.now();
  };
  for (const name of ["keydown", "pointerdown", "pointermove", "wheel", "scroll", "input"]) {
    document.addEventListener(name, input, { capture: true, passive: true });
  }
  document.addEventListener("visibilitychange", () => {
    count();
    visible = document.visibilityState === "visible";
    if (visible) lastInput = Date.now();
  });
  form.addEventListener("submit", count);

  tick();
  setInterval(() => {
    tick();
    count();
    sessionStorage.setItem(activeKey, String(active));
  }, 1000);

  // Guidelines remember whether they were open.
  const guidelines = document.getElementById("guidelines");
  if (guidelines) {
    if (localStorage.getItem("verity-guidelines") === "closed") guidelines.open = false;
    guidelines.addEventListener("toggle", () => localStorage.setItem("verity-guidelines", guidelines.open ? "open" : "closed"));
  }

  // After a refused submit, the focus goes to the first field with a message, so it is read and fixed first.
  const fields = { rationale: "#rationale", text: "#text", idealAnswer: "#ideal-answer", choice: "input[name=Choice]", strength: "input[name=Strength]", skip: "input[name=SkipReason]" };
  const firstError = form.querySelector(".error[data-field]");
  if (firstError) {
    const field = fields[firstError.dataset.field] ? form.querySelector(fields[firstError.dataset.field])
      : firstError.closest("fieldset, li")?.querySelector("input:not([type=hidden]), select") ?? firstError.closest("li[tabindex]");
    field?.focus();
  }

  const keys = document.getElementById("keys");
  document.getElementById("keys-open")?.addEventListener("click", () => keys.showModal());
  const previous = document.getElementById("previous");

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const target = event.target;
    if (typingIn(target)) {
      if (event.key === "Escape") {
        event.preventDefault();
        target.blur();
      }
      return;
    }
    if (event.key === "ArrowLeft" && (event.ctrlKey || event.metaKey) && previous) {
      event.preventDefault();
      location.href = previous.href;
      return;
    }
    if (event.key === "?" && keys && !keys.open) {
      event.preventDefault();
      keys.showModal();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return;

    const scale = target instanceof Element ? target.closest("fieldset.scale") : null;
    if (scale) {
      const level = scale.querySelector(`input[type=radio][value="${event.key}"]`);
      if (!level) return;
      event.preventDefault();
      level.checked = true;
      level.focus();
      changed();
      return;
    }
    const ranked = ranking && target instanceof Element ? target.closest("#ranking > li") : null;
    if (ranked) {
      const select = ranked.querySelector("select");
      if (![...select.options].some((o) => o.value === event.key)) return;
      event.preventDefault();
      select.value = event.key;
      changed();
      return;
    }
    const input = form.querySelector(`input[data-key="${event.key}"]`);
    if (!input) return;
    event.preventDefault();
    input.checked = input.type === "checkbox" ? !input.checked : true;
    changed();
    if (input.dataset.then) document.getElementById(input.dataset.then)?.focus();
  });

  if (ranking) {
    const renumber = () => {
      [...ranking.children].forEach((item, index) => { item.querySelector("select").value = String(index + 1); });
      changed();
    };
    let dragged = null;
    ranking.addEventListener("dragstart", (event) => { dragged = event.target.closest("#ranking > li"); });
    ranking.addEventListener("dragover", (event) => event.preventDefault());
    ranking.addEventListener("drop", (event) => {
      event.preventDefault();
      // Only the top-level cards move, so a card dropped on another card's text never lands inside it.
      const over = event.target.closest("#ranking > li");
      if (!dragged || !over || over === dragged) return;
      const after = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
      over.insertAdjacentElement(after ? "afterend" : "beforebegin", dragged);
      renumber();
    });
    ranking.addEventListener("keydown", (event) => {
      const item = event.target;
      if (!(item instanceof HTMLLIElement) || !event.altKey) return;
      if (event.key === "ArrowUp" && item.previousElementSibling) item.previousElementSibling.before(item);
      else if (event.key === "ArrowDown" && item.nextElementSibling) item.nextElementSibling.after(item);
      else return;
      event.preventDefault();
      item.focus();
      renumber();
    });
  }
}

// Keys pressed before this module ran would be lost; scripted clients (and tests) wait for this mark.
document.documentElement.dataset.workbench = "ready";
