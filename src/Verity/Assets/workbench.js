// The workbench's keyboard and small helpers, for every task kind:
// - a digit picks the input marked data-key="N" (a choice, a label); data-then moves the focus on afterwards;
// - Ctrl+Enter (or Cmd+Enter) submits;
// - textareas with data-count show a live character count;
// - rankings reorder by drag and drop, or Alt+Up/Down on a focused response, renumbering the rank boxes.
const form = document.getElementById("task-form");
if (form) {
  for (const area of form.querySelectorAll("textarea[data-count]")) {
    const count = document.getElementById(area.dataset.count);
    const update = () => { count.textContent = String(area.value.trim().length); };
    area.addEventListener("input", update);
    update();
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
      || (target instanceof HTMLInputElement && target.type === "text");
    if (typing || event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return;
    const input = form.querySelector(`input[data-key="${event.key}"]`);
    if (!input) return;
    event.preventDefault();
    input.checked = input.type === "checkbox" ? !input.checked : true;
    if (input.dataset.then) document.getElementById(input.dataset.then)?.focus();
  });

  const ranking = document.getElementById("ranking");
  if (ranking) {
    const renumber = () => {
      [...ranking.children].forEach((item, index) => { item.querySelector("select").value = String(index + 1); });
    };
    let dragged = null;
    ranking.addEventListener("dragstart", (event) => { dragged = event.target.closest("li"); });
    ranking.addEventListener("dragover", (event) => event.preventDefault());
    ranking.addEventListener("drop", (event) => {
      event.preventDefault();
      const over = event.target.closest("li");
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
