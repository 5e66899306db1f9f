// The rubric editor on /projects/new: dimensions, labels and skip reasons edited line by line, written into the rubric's
// JSON (the field that is posted, so the server validates exactly what the API would), and a preview of the task form
// as an annotator sees it, redrawn on every change without asking the server. Untrusted text only ever goes in as
// textContent. Without this script the JSON field alone still works.
const form = document.getElementById("new-project");
const json = document.getElementById("rubric");
const editor = document.getElementById("rubric-editor");
const preview = document.getElementById("rubric-preview");
const kind = document.getElementById("kind");

if (form && json && editor && preview && kind) {
  const defaults = JSON.parse(editor.dataset.defaults);
  const dimensions = document.getElementById("rubric-dimensions");
  const labels = document.getElementById("rubric-labels");
  const skipReasons = document.getElementById("rubric-skipReasons");
  const multiLabel = document.getElementById("rubric-multiLabel");
  const allowOther = document.getElementById("rubric-allowOther");
  const status = document.getElementById("rubric-status");
  editor.hidden = false;

  const lines = (area) => area.value.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
  const parts = (line) => line.split("|").map((p) => p.trim());

  // "accuracy | Factual accuracy | 1-5": name, what annotators read, the scale (1-5 when left out).
  const toDimension = (line) => {
    const [name, label, scale] = parts(line);
    const dimension = { name };
    if (label) dimension.label = label;
    const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(scale ?? "");
    if (range) {
      dimension.min = Number(range[1]);
      dimension.max = Number(range[2]);
    }
    return dimension;
  };
  const fromDimension = (d) => [d.name, d.label ?? "", d.min !== undefined || d.max !== undefined ? `${d.min ?? 1}-${d.max ?? 5}` : ""]
    .join(" | ").replace(/( \| )+$/, "");
  const toReason = (line) => {
    const [name, label] = parts(line);
    return label ? { name, label } : { name };
  };
  const fromReason = (r) => (r.label ? `${r.name} | ${r.label}` : r.name);

  const parse = () => {
    if (json.value.trim() === "") return {};
    const value = JSON.parse(json.value);
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SyntaxError("the rubric must be a JSON object");
    return value;
  };

  // The editor's fields into the JSON; a field left empty drops its key, so the kind's default applies.
  const write = () => {
    let rubric;
    try {
      rubric = parse();
    } catch {
      rubric = {};
    }
    const set = (key, value, empty) => {
      if (empty) delete rubric[key];
      else rubric[key] = value;
    };
    set("dimensions", lines(dimensions).map(toDimension), lines(dimensions).length === 0);
    set("labels", lines(labels), lines(labels).length === 0);
    set("skipReasons", lines(skipReasons).map(toReason), lines(skipReasons).length === 0);
    set("multiLabel", true, !multiLabel.checked);
    set("allowOther", true, !allowOther.checked);
    json.value = Object.keys(rubric).length === 0 ? "" : JSON.stringify(rubric, null, 2);
    draw();
  };

  // The JSON into the editor's fields, when it is edited by hand.
  const read = () => {
    let rubric;
    try {
      rubric = parse();
    } catch {
      draw();
      return;
    }
    dimensions.value = (rubric.dimensions ?? []).map(fromDimension).join("\n");
    labels.value = (rubric.labels ?? []).join("\n");
    skipReasons.value = (rubric.skipReasons ?? []).map(fromReason).join("\n");
    multiLabel.checked = rubric.multiLabel === true;
    allowOther.checked = rubric.allowOther === true;
    draw();
  };

  const element = (tag, attributes = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const group = (legend, options, type = "radio") => {
    const fieldset = element("fieldset", { class: "choices" });
    fieldset.append(element("legend", {}, legend));
    const name = `preview-${legend}`;
    for (const option of options) {
      const label = element("label", { class: "choice" });
      label.append(element("input", { type, name, disabled: "" }), ` ${option}`);
      fieldset.append(label);
    }
    return fieldset;
  };
  const title = (item) => (item.label && item.label.trim() !== "" ? item.label : item.name);

  const draw = () => {
    let rubric;
    try {
      rubric = parse();
      status.textContent = "";
    } catch (e) {
      status.textContent = `The rubric is not valid JSON yet (${e.message}); the preview shows the kind's defaults.`;
      rubric = {};
    }
    const taskKind = kind.value;
    const dims = Array.isArray(rubric.dimensions) && rubric.dimensions.length > 0 ? rubric.dimensions
      : taskKind === "rating" ? defaults.ratingDimensions : [];
    const nodes = [element("h2", {}, `A ${taskKind} task, as an annotator sees it`)];
    switch (taskKind) {
      case "pairwise":
        nodes.push(element("p", { class: "muted" }, "Response A and Response B are shown side by side."));
        nodes.push(group("Which response is better?", ["1 A is better", "2 B is better", "3 Tie"]));
        nodes.push(group("How much better?", ["Slightly", "Clearly", "Much"]));
        for (const d of dims) nodes.push(group(`Better on ${title(d)}?`, ["A", "B", "Tie"]));
        break;
      case "rating":
        nodes.push(element("p", { class: "muted" }, "The response is shown above the scales."));
        for (const d of dims) {
          const levels = [];
          for (let level = d.min ?? 1; level <= (d.max ?? 5) && levels.length < 11; level++) {
            const anchor = d.anchors?.[String(level)];
            levels.push(anchor ? `${level} ${anchor}` : String(level));
          }
          if (d.allowNa) levels.push("N/A");
          nodes.push(group(title(d), levels));
        }
        break;
      case "classification": {
        const names = Array.isArray(rubric.labels) ? rubric.labels : [];
        nodes.push(group(rubric.multiLabel ? "Choose every label that applies" : "Choose one label",
          names.map((l, i) => (i < 9 ? `${i + 1} ${l}` : l)), rubric.multiLabel ? "checkbox" : "radio"));
        if (rubric.allowOther) {
          const other = element("label", {}, "Other ");
          other.append(element("input", { type: "text", disabled: "", placeholder: "Only if no label fits" }));
          nodes.push(other);
        }
        break;
      }
      case "ranking":
        nodes.push(element("p", {}, `Every response gets a rank, 1 for the best${rubric.allowTies ? "; responses may share a rank" : ""}.`));
        break;
      default:
        nodes.push(element("p", {}, `The annotator writes a text of at least ${rubric.minChars ?? 50} characters, with a rendered preview.`));
    }
    const flags = Array.isArray(rubric.flags) ? rubric.flags : defaults.flags;
    nodes.push(group("Flags", flags.map(title), "checkbox"));
    const reasons = Array.isArray(rubric.skipReasons) && rubric.skipReasons.length > 0 ? rubric.skipReasons : defaults.skipReasons;
    const skip = element("p", {}, "Skip because: ");
    skip.append(reasons.map(title).join(" · "));
    nodes.push(skip);
    preview.replaceChildren(...nodes);
  };

  for (const field of [dimensions, labels, skipReasons, multiLabel, allowOther]) field.addEventListener("input", write);
  json.addEventListener("input", read);
  kind.addEventListener("change", draw);
  read();
  document.documentElement.dataset.rubric = "ready";
}
