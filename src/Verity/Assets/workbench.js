// Keyboard for the workbench: 1/2/3 pick left/right/tie (then the rationale box takes the focus),
// Ctrl+Enter (or Cmd+Enter) submits. Digits typed inside the rationale stay text.
const form = document.getElementById("task-form");
if (form) {
  const rationale = form.querySelector("#rationale");
  const count = document.getElementById("rationale-count");
  const updateCount = () => { count.textContent = String(rationale.value.trim().length); };
  rationale.addEventListener("input", updateCount);
  updateCount();

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const typing = event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLInputElement && event.target.type === "text";
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const choice = form.querySelector(`input[name="Choice"][data-key="${event.key}"]`);
    if (choice) {
      event.preventDefault();
      choice.checked = true;
      rationale.focus();
    }
  });
}
