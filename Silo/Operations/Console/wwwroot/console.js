// The operations console: one page, hash routes, every value written as text (never as HTML). It reads the silo's
// REST handlers under /dashboard/api (the login cookie is scoped to /dashboard) and refreshes the overview every 5 s.
"use strict";

const api = "../api";
const page = document.getElementById("page");
const errorBox = document.getElementById("error");
let refresh = null;

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
  setTimeout(() => { errorBox.hidden = true; }, 8000);
}

async function call(method, path, body) {
  const options = { method, headers: { "Accept": "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(api + path, options);
  if (response.status === 401) { location.href = "../login"; throw new Error("signed out"); }
  const result = await response.json().catch(() => null);
  if (!response.ok || !result || result.status !== 0) {
    throw new Error(result && result.message ? result.message : `${method} ${path}: HTTP ${response.status}`);
  }
  return result.data;
}

function query(values) {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== "") parameters.set(name, value);
  const text = parameters.toString();
  return text ? "?" + text : "";
}

function status(value) { return h("span", { class: "status " + String(value || "").toLowerCase() }, value || "–"); }
function time(value) { return value ? new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "–"; }
function link(href, text) { return h("a", { href }, text); }

function table(columns, rows, empty) {
  if (!rows.length) return h("p", { class: "muted" }, empty || "Nothing to show.");
  return h("table", {},
    h("thead", {}, h("tr", {}, columns.map(c => h("th", { class: c.num ? "num" : null }, c.title)))),
    h("tbody", {}, rows.map(row => h("tr", {}, columns.map(c => h("td", { class: c.num ? "num" : c.wrap ? "wrap" : null }, c.cell(row)))))));
}

function fields(pairs) {
  return h("dl", { class: "fields" }, pairs.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value ?? "–")]));
}

function searchForm(inputs, values, onsubmit) {
  const form = h("form", { class: "search" },
    inputs.map(input => h("label", {}, input.label,
      input.options
        ? h("select", { name: input.name }, input.options.map(o => h("option", { value: o, selected: values[input.name] === o }, o || "any")))
        : h("input", { name: input.name, value: values[input.name] || "", placeholder: input.placeholder || "", size: input.size || 18 }))),
    h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", event => {
    event.preventDefault();
    onsubmit(Object.fromEntries(new FormData(form).entries()));
  });
  return form;
}

function go(route, values) { location.hash = "#/" + route + query(values || {}); }

function render(...children) { page.replaceChildren(...children); }

// --- overview -------------------------------------------------------------------------------------------------

const palette = { sent: "#1b7f3b", failed: "#b3261e", retried: "#d98e04", suppressed: "#7b61ff", blocked: "#5b6475", cancelled: "#9aa3b5" };

function plot(overview) {
  const width = 1180, height = 260, left = 48, bottom = 24, top = 12;
  const byOutcome = {};
  for (const series of overview.series) {
    const points = byOutcome[series.outcome] || (byOutcome[series.outcome] = new Array(series.points.length).fill(0));
    series.points.forEach((count, i) => { points[i] += count / overview.bucketSeconds; });
  }
  const outcomes = Object.keys(byOutcome);
  const count = outcomes.length ? byOutcome[outcomes[0]].length : 360;
  const max = Math.max(0.1, ...outcomes.flatMap(o => byOutcome[o]));
  const x = i => left + (width - left - 8) * i / Math.max(1, count - 1);
  const y = v => top + (height - top - bottom) * (1 - v / max);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "plot");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "receivers per second by outcome over the last hour");
  const add = (name, attributes, text) => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    if (text !== undefined) element.textContent = text;
    svg.append(element);
  };
  for (const fraction of [0, 0.5, 1]) {
    add("line", { x1: left, x2: width - 8, y1: y(max * fraction), y2: y(max * fraction), stroke: "#e3e6ec" });
    add("text", { x: 4, y: y(max * fraction) + 4 }, (max * fraction).toFixed(max < 2 ? 2 : 1) + "/s");
  }
  for (const [label, i] of [["60 min ago", 0], ["30 min ago", Math.floor(count / 2)], ["now", count - 1]]) {
    add("text", { x: Math.min(x(i), width - 40), y: height - 6 }, label);
  }
  for (const outcome of outcomes) {
    add("polyline", { fill: "none", stroke: palette[outcome] || "#2456c9", "stroke-width": 2,
      points: byOutcome[outcome].map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ") });
  }
  // Colours through the CSSOM: the page's CSP allows no inline style attribute.
  const legend = h("div", { class: "legend" }, outcomes.map(o => {
    const swatch = h("span", {}, o);
    swatch.style.setProperty("--swatch", palette[o] || "#2456c9");
    return swatch;
  }));
  return [svg, legend];
}

async function overview() {
  const data = await call("GET", "/overview");
  const total = outcome => data.series.filter(s => s.outcome === outcome).reduce((sum, s) => sum + s.lastHour, 0);
  const queued = data.queueDepth.reduce((sum, q) => sum + q.depth, 0);
  render(
    h("h2", {}, "Overview"),
    h("p", { class: "muted" }, `This silo, ${time(data.now)}; receivers per outcome in ${data.bucketSeconds}-second buckets over the last hour.`),
    h("div", { class: "cards" },
      h("div", { class: "card" }, h("div", { class: "muted" }, "Sent, last hour"), h("div", { class: "figure" }, total("sent"))),
      h("div", { class: "card" }, h("div", { class: "muted" }, "Failed, last hour"), h("div", { class: "figure" }, total("failed"))),
      h("div", { class: "card" }, h("div", { class: "muted" }, "Retried, last hour"), h("div", { class: "figure" }, total("retried"))),
      h("div", { class: "card" }, h("div", { class: "muted" }, "Queued in channel senders"), h("div", { class: "figure" }, queued))),
    h("h3", {}, "Rates over time"),
    ...plot(data),
    h("h3", {}, "Sends per second (last minute) by channel and outcome"),
    table([
      { title: "Channel", cell: s => s.channel },
      { title: "Outcome", cell: s => status(s.outcome) },
      { title: "Per second", num: true, cell: s => s.perSecond.toFixed(2) },
      { title: "Last hour", num: true, cell: s => s.lastHour },
    ], data.series, "No receiver outcome in the last hour."),
    h("h3", {}, "Failures in the last hour by reason"),
    table([
      { title: "Channel", cell: f => f.channel },
      { title: "Reason", cell: f => f.reason },
      { title: "Receivers", num: true, cell: f => f.count },
      { title: "", cell: f => link("#/messages" + query({ channel: f.channel, status: "failed" }), "failed messages") },
    ], data.failuresLastHour, "No failure in the last hour."),
    h("h3", {}, "Channel queue depth"),
    table([
      { title: "Channel", cell: q => q.channel },
      { title: "Deliveries waiting", num: true, cell: q => q.depth },
    ], data.queueDepth, "No channel has sent on this silo yet."));
  refresh = setTimeout(() => route(), 5000);
}

// --- messages ---------------------------------------------------------------------------------------------------

const channels = ["", "email", "rtx", "wechat", "sms", "voice", "wework"];
const messageStatuses = ["", "pending", "sending", "sent", "partially_sent", "retrying", "failed", "suppressed", "blocked", "cancelled"];

async function messages(values) {
  if (values.id) return go("message/" + encodeURIComponent(values.id));
  const form = searchForm([
    { name: "id", label: "Message id", placeholder: "msg_…" },
    { name: "receiver", label: "Receiver" },
    { name: "source", label: "Source", size: 12 },
    { name: "channel", label: "Channel", options: channels },
    { name: "status", label: "Status", options: messageStatuses },
    { name: "from", label: "From", placeholder: "2026-12-01T00:00Z", size: 16 },
    { name: "to", label: "To", placeholder: "ISO 8601 or ms", size: 16 },
  ], values, submitted => go("messages", submitted));
  const { id, ...filters } = values;
  const data = await call("GET", "/messages" + query({ ...filters, pageSize: 50, total: "false" }));
  render(
    h("h2", {}, "Messages"),
    form,
    table([
      { title: "Id", cell: m => link("#/message/" + encodeURIComponent(m.id), m.id) },
      { title: "Channel", cell: m => m.channel },
      { title: "Status", cell: m => status(m.status) },
      { title: "Title", wrap: true, cell: m => m.title || m.body.slice(0, 80) },
      { title: "Receivers", wrap: true, cell: m => m.receivers.map(r => r.receiver).join(", ") },
      { title: "Source", cell: m => m.source || "–" },
      { title: "Created", cell: m => time(m.createdAt) },
    ], data.items, "No message matches."),
    h("div", { class: "pager" }, data.nextCursor ? link("#/messages" + query({ ...filters, after: data.nextCursor }), "Next page →") : h("span", { class: "muted" }, "End of the list.")));
}

async function operatorAction(path, body, then) {
  try {
    await call("POST", path, body);
    then();
  } catch (error) {
    showError(error.message);
  }
}

async function message(id) {
  const m = await call("GET", "/messages/" + encodeURIComponent(id));
  const note = h("input", { id: "note", placeholder: "note for the record (optional)", size: 40 });
  const reload = () => route();
  const retryable = m.status === "failed" || m.status === "partially_sent";
  const cancellable = ["pending", "sending", "retrying"].includes(m.status);
  render(
    h("h2", {}, "Message ", m.id, " ", status(m.status)),
    h("div", { class: "actions" },
      note,
      h("button", { id: "retry", disabled: !retryable, onclick: () => operatorAction(`/messages/${encodeURIComponent(m.id)}/retry`, { note: note.value }, reload) }, "Retry failed receivers"),
      h("button", { id: "cancel", class: "danger", disabled: !cancellable, onclick: () => operatorAction(`/messages/${encodeURIComponent(m.id)}/cancel`, { note: note.value }, reload) }, "Cancel message")),
    fields([
      ["Channel", m.channel], ["Source", m.source || "–"], ["Sender", m.sender || "–"], ["Priority", m.priority],
      ["Attempts", `${m.attempts} (retries ${m.retryCount})`], ["Last error", m.lastError || "–"],
      ["Created", time(m.createdAt)], ["Updated", time(m.updatedAt)], ["Next attempt", time(m.nextAttemptAt)], ["Completed", time(m.completedAt)],
      ["Possible duplicate", m.possibleDuplicate ? `yes (attempt ${m.unknownOutcomeAttempt})` : "no"],
      ["Request id", m.requestId || "–"], ["Reference", m.reference || "–"], ["Title", m.title || "–"],
    ]),
    h("h3", {}, "Body"),
    h("pre", { class: "body" }, m.body),
    h("h3", {}, "Receivers"),
    table([
      { title: "Receiver", cell: r => link("#/why-not" + query({ receiver: r.receiver }), r.receiver) },
      { title: "Kind", cell: r => r.kind },
      { title: "Status", cell: r => status(r.status) },
      { title: "Reason", cell: r => r.reason },
      { title: "Address", cell: r => r.address || "–" },
      { title: "Detail", wrap: true, cell: r => r.detail || "–" },
      { title: "Attempts", num: true, cell: r => r.attempts },
      { title: "", cell: r => r.status === "failed"
          ? h("button", { class: "retry-receiver", onclick: () => operatorAction(`/messages/${encodeURIComponent(m.id)}/retry`, { receiver: r.receiver, note: note.value }, reload) }, "Retry")
          : "" },
    ], m.receivers),
    h("h3", {}, "Operator actions"),
    table([
      { title: "When", cell: a => time(a.at) },
      { title: "Who", cell: a => a.operator },
      { title: "What", cell: a => a.kind + (a.receiver ? ` (${a.receiver})` : "") + (a.attempt ? `, attempt ${a.attempt}` : "") },
      { title: "Note", wrap: true, cell: a => a.note || "–" },
    ], m.operatorActions, "No operator has acted on this message."));
  if (!["sent", "failed", "partially_sent", "suppressed", "blocked", "cancelled"].includes(m.status)) refresh = setTimeout(() => route(), 2000);
}

async function whyNot(values) {
  const form = searchForm([
    { name: "receiver", label: "Receiver (username or address)", size: 28 },
    { name: "channel", label: "Channel", options: channels },
  ], values, submitted => go("why-not", submitted));
  if (!values.receiver) return render(h("h2", {}, "Why didn't they get it?"), form, h("p", { class: "muted" }, "Name a receiver to see every message addressed to them, and what happened."));
  const entries = await call("GET", "/messages/why-not" + query({ receiver: values.receiver, channel: values.channel, limit: 100 }));
  render(
    h("h2", {}, "Why didn't ", values.receiver, " get it?"),
    form,
    table([
      { title: "Message", cell: e => link("#/message/" + encodeURIComponent(e.messageId), e.messageId) },
      { title: "Channel", cell: e => e.channel },
      { title: "Title", wrap: true, cell: e => e.title || "–" },
      { title: "Created", cell: e => time(e.createdAt) },
      { title: "Outcome", cell: e => status(e.outcome.status) },
      { title: "Explanation", wrap: true, cell: e => e.explanation },
    ], entries, "No message was addressed to this receiver."));
}

// --- action instances, directory, templates -----------------------------------------------------------------------

const actionStatuses = ["", "received", "waiting", "running", "sleep", "retrying", "success", "partial_success", "failure", "partial_failure", "skipped", "shield", "blocked"];

async function actions(values) {
  if (values.id) return go("action/" + encodeURIComponent(values.id));
  const form = searchForm([
    { name: "id", label: "Action id" },
    { name: "status", label: "Status", options: actionStatuses },
    { name: "alert", label: "Alert id" },
  ], values, submitted => go("actions", submitted));
  const { id, ...filters } = values;
  const data = await call("GET", "/actions" + query({ ...filters, pageSize: 50 }));
  render(
    h("h2", {}, "Action instances"),
    form,
    table([
      { title: "Action", cell: a => link("#/action/" + encodeURIComponent(a.source) + "/" + encodeURIComponent(a.actionId), a.actionId) },
      { title: "Source", cell: a => a.source },
      { title: "Status", cell: a => status(a.status) },
      { title: "Alert", wrap: true, cell: a => `${a.alertId} · ${a.alertName} (level ${a.level}, ${a.alertStatus})` },
      { title: "Runs", num: true, cell: a => a.executeTimes },
      { title: "Next notice", cell: a => time(a.nextNotifyTime) },
      { title: "Updated", cell: a => time(a.updatedAt) },
    ], data.items, "No action instance matches."),
    h("div", { class: "pager" }, data.nextCursor ? link("#/actions" + query({ ...filters, after: data.nextCursor }), "Next page →") : h("span", { class: "muted" }, "End of the list.")));
}

async function action(source, id) {
  const owner = query({ source });
  const a = await call("GET", "/actions/" + encodeURIComponent(id) + owner);
  const reload = () => route();
  const open = !["success", "partial_success", "failure", "partial_failure", "skipped", "shield", "blocked"].includes(a.status);
  render(
    h("h2", {}, "Action instance ", a.actionId, " ", status(a.status)),
    h("div", { class: "actions" },
      h("button", { id: "close", class: "danger", disabled: !open, onclick: () => operatorAction(`/actions/${encodeURIComponent(a.actionId)}/close${owner}`, {}, reload) }, "Close"),
      h("button", { id: "shield", disabled: !open || a.shielded, onclick: () => operatorAction(`/actions/${encodeURIComponent(a.actionId)}/shield${owner}`, {}, reload) }, "Shield")),
    fields([
      ["Alert", `${a.alert.id} · ${a.alert.name}`], ["Alert status", a.alert.status], ["Level", a.alert.level], ["Content", a.alert.content],
      ["Runs", a.executeTimes], ["Retries of this run", a.retryTimes], ["Next notice", time(a.nextNotifyTime)],
      ["Failure type", a.failureType || "–"], ["Stopped by", a.stopSignal || "–"], ["Shielded", a.shielded ? "yes" : "no"],
      ["User groups", a.notifyConfig.userGroups.join(", ")], ["Interval", `${a.executeConfig.notifyInterval} s, ${a.executeConfig.intervalNotifyMode}`],
      ["Created", time(a.createdAt)], ["Ended", time(a.endTime)],
    ]),
    h("h3", {}, "Runs"),
    table([
      { title: "Step", cell: r => r.step },
      { title: "Run", num: true, cell: r => r.executeTimes },
      { title: "Retry", num: true, cell: r => r.retryTimes },
      { title: "Started", cell: r => time(r.startedAt) },
      { title: "Completed", cell: r => time(r.completedAt) },
      { title: "Outcome", cell: r => status(r.outcome) },
      { title: "Why", wrap: true, cell: r => r.failureType || r.skipReason || "–" },
    ], a.runs, "No notice has run yet."),
    h("h3", {}, "Notice results"),
    table([
      { title: "Step · way", cell: n => `${n.step} · ${n.way}` },
      { title: "Run", num: true, cell: n => n.executeTimes },
      { title: "Status", cell: n => status(n.status) },
      { title: "Message", cell: n => n.messageId ? link("#/message/" + encodeURIComponent(n.messageId), n.messageId) : "–" },
      { title: "Sent / failed", num: true, cell: n => `${n.sent} / ${n.failed}` },
      { title: "Error", wrap: true, cell: n => n.error || "–" },
    ], Object.entries(a.noticeResults).flatMap(([step, ways]) => Object.entries(ways).flatMap(([way, results]) => results.map(r => ({ ...r, step, way }))))));
}

async function blacklist() {
  const data = await call("GET", "/blacklist");
  render(h("h2", {}, "Blacklist"), h("p", { class: "muted" }, "These users and addresses get nothing on any channel."),
    table([{ title: "User or address", cell: u => u }], data.users, "The blacklist is empty."));
}

async function contacts(values) {
  const data = await call("GET", "/contacts" + query({ after: values.after, pageSize: 100 }));
  render(h("h2", {}, "Contacts"),
    table([
      { title: "Username", cell: c => link("#/why-not" + query({ receiver: c.username }), c.username) },
      { title: "E-mail", cell: c => c.email || "–" },
      { title: "Phone", cell: c => c.phone || "–" },
      { title: "WeCom user id", cell: c => c.wecomUserId || "–" },
      { title: "WeChat open id", cell: c => c.wechatOpenId || "–" },
    ], data.items, "No contact is registered."),
    h("div", { class: "pager" }, data.nextCursor ? link("#/contacts" + query({ after: data.nextCursor }), "Next page →") : h("span", { class: "muted" }, "End of the list.")));
}

async function userGroups(values) {
  const data = await call("GET", "/usergroups" + query({ after: values.after, pageSize: 100 }));
  render(h("h2", {}, "User groups"),
    table([
      { title: "Group", cell: g => g.groupId },
      { title: "Name", cell: g => g.name },
      { title: "Members", wrap: true, cell: g => g.members.join(", ") || "–" },
      { title: "Duty rotation", cell: g => g.duty ? `${g.duty.shifts.length} shifts` : "–" },
      { title: "Updated", cell: g => time(g.updatedAt) },
    ], data.items, "No user group exists."),
    h("div", { class: "pager" }, data.nextCursor ? link("#/usergroups" + query({ after: data.nextCursor }), "Next page →") : h("span", { class: "muted" }, "End of the list.")));
}

async function templates() {
  const data = await call("GET", "/templates");
  render(h("h2", {}, "Templates"),
    table([
      { title: "Code", cell: t => t.templateCode },
      { title: "Name", cell: t => t.templateName },
      { title: "Channels", cell: t => t.notifyTypeScope.join(", ") },
      { title: "Version", num: true, cell: t => t.version },
      { title: "Built in", cell: t => t.builtIn ? "yes" : "no" },
      { title: "Updated", cell: t => time(t.updatedAt) },
    ], data, "No template exists."));
}

// --- routing ----------------------------------------------------------------------------------------------------

const routes = {
  overview: overview, messages: messages, "why-not": whyNot, actions: actions, blacklist: blacklist,
  contacts: contacts, usergroups: userGroups, templates: templates,
};

async function route() {
  clearTimeout(refresh);
  const [path, search] = (location.hash.slice(2) || "overview").split("?");
  const values = Object.fromEntries(new URLSearchParams(search || "").entries());
  const [name, ...rest] = path.split("/");
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("current", a.getAttribute("href") === "#/" + (name === "message" ? "messages" : name === "action" ? "actions" : name));
  try {
    if (name === "message") await message(decodeURIComponent(rest.join("/")));
    else if (name === "action") await action(decodeURIComponent(rest[0] || ""), decodeURIComponent(rest.slice(1).join("/")));
    else await (routes[name] || overview)(values);
    document.body.dataset.loaded = location.hash || "#/overview";
  } catch (error) {
    render(h("h2", {}, "Could not load this page"), h("p", { role: "alert" }, error.message));
    document.body.dataset.loaded = "error";
  }
}

window.addEventListener("hashchange", route);
route();
