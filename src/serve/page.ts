/**
 * The dashboard page: one self-contained HTML document (inline style and script, no fonts,
 * images or libraries fetched). It follows `/_dashboard/events` and posts controls to
 * `/_dashboard/control`; all text from the cloud is set with `textContent`, never as HTML.
 */
export function dashboardPage(info: { seed: number; wsUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signaling emulator · dashboard</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>Signaling emulator</h1>
  <span class="pill" id="live">connecting…</span>
  <span>seed <b id="seed">${info.seed}</b></span>
  <span>SDK <code id="ws-url">${escapeHtml(info.wsUrl)}</code></span>
  <span>cloud time <b id="clock">+0.000s</b></span>
  <span><b id="connections">0</b> connections</span>
</header>
<div id="notice" role="status" hidden></div>
<main>
  <div class="side">
    <section id="network">
      <h2>Network <small>(<code>cloud.net</code>: in-process links and the connections served here)</small></h2>
      <form id="latency-form" class="row">
        <label>latency <input id="latency" type="number" min="0" max="60000" step="10" value="0"> ms each way</label>
        <button>Set</button>
      </form>
      <form id="outage-form" class="row">
        <label>outage for <input id="outage-seconds" type="number" min="1" max="3600" value="10"> s</label>
        <button>Start</button>
        <button type="button" id="end-outage">End</button>
      </form>
      <p id="network-state" class="muted"></p>
    </section>
    <section id="users">
      <h2>Online</h2>
      <div class="row small">
        <label>disconnect for <input id="disconnect-seconds" type="number" min="1" max="3600" value="5"> s</label>
        <label data-control="expireToken">token expiry <select id="expire-effect">
          <option value="next-login">refuse the next login</option>
          <option value="kick">kick now (103)</option>
          <option value="close">close now (102)</option>
        </select></label>
      </div>
      <table>
        <thead><tr><th>account</th><th>online for</th><th></th></tr></thead>
        <tbody id="online"></tbody>
      </table>
      <p id="nobody" class="muted">Nobody is logged in. Point the SDK at <code>${escapeHtml(info.wsUrl)}</code> with <code>signal.setup_debugging('ap_url', '${escapeHtml(info.wsUrl)}')</code>.</p>
    </section>
    <section id="channels-section">
      <h2>Channels</h2>
      <div id="channels"></div>
      <p id="no-channels" class="muted">No channels.</p>
    </section>
    <section id="invites-section">
      <h2>Invites</h2>
      <table>
        <thead><tr><th>caller → callee</th><th>channel</th><th>state</th><th>fails</th></tr></thead>
        <tbody id="invites"></tbody>
      </table>
      <p id="no-invites" class="muted">No invites.</p>
    </section>
    <section id="stored-section" hidden>
      <h2>Stored messages</h2>
      <table>
        <thead><tr><th>to</th><th>from</th><th>expires in</th></tr></thead>
        <tbody id="stored"></tbody>
      </table>
    </section>
  </div>
  <section id="log-section">
    <div class="log-head">
      <h2>Event log</h2>
      <input id="filter" type="search" placeholder="filter: account, name, text…">
      <label><input type="checkbox" class="kind" value="call" checked> call</label>
      <label><input type="checkbox" class="kind" value="callback" checked> callback</label>
      <label><input type="checkbox" class="kind" value="fault" checked> fault</label>
      <label><input type="checkbox" class="kind" value="server" checked> server</label>
      <label title="requests and pushes of the served connections"><input type="checkbox" class="kind" value="wire" checked> wire</label>
      <label><input type="checkbox" id="follow" checked> follow</label>
    </div>
    <div id="log-scroll">
      <table id="log"><tbody id="entries"></tbody></table>
    </div>
    <p id="earlier" class="muted" hidden></p>
  </section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1c2430; background: #eef1f5; }
header { display: flex; flex-wrap: wrap; gap: 18px; align-items: baseline; padding: 10px 16px; background: #182538; color: #e8edf4; }
header h1 { margin: 0; font-size: 17px; }
header code { color: #b9d7ff; }
.pill { padding: 1px 8px; border-radius: 10px; background: #6b7280; color: #fff; font-size: 12px; }
.pill.live { background: #15803d; }
.pill.down { background: #b91c1c; }
#notice { position: fixed; right: 16px; bottom: 16px; z-index: 1; max-width: 40em; padding: 8px 12px; border-radius: 6px; background: #dcfce7; border: 1px solid #86efac; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
#notice.error { background: #fee2e2; border-color: #fca5a5; }
main { display: grid; grid-template-columns: minmax(400px, 38%) 1fr; gap: 12px; padding: 12px; height: calc(100vh - 48px); }
.side { display: flex; flex-direction: column; gap: 12px; overflow: auto; }
section { background: #fff; border: 1px solid #d5dbe3; border-radius: 6px; padding: 10px 12px; }
h2 { margin: 0 0 8px; font-size: 14px; }
h2 small, .muted { color: #667085; font-weight: normal; }
.muted { margin: 4px 0; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 6px; }
.small { font-size: 13px; }
input[type=number] { width: 72px; }
input, select { font: inherit; padding: 2px 4px; border: 1px solid #b8c1cc; border-radius: 4px; }
button { font: inherit; font-size: 13px; padding: 2px 9px; border-radius: 4px; border: 1px solid #23466f; background: #2b5b8f; color: #fff; cursor: pointer; }
button.danger { background: #b42318; border-color: #8a1a12; }
button.quiet { background: #fff; color: #23466f; }
button:disabled { opacity: .45; cursor: default; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; font-weight: 600; color: #475467; font-size: 12px; border-bottom: 1px solid #d5dbe3; }
td, th { padding: 3px 6px; vertical-align: top; }
#online tr.user td:last-child { text-align: right; }
#online .uid { color: #667085; font-size: 12px; }
#online th, #online tr.user td:not(:last-child) { white-space: nowrap; }
#online tr.app td { padding-top: 6px; color: #667085; font-size: 12px; }
#online tr.down td { color: #b42318; }
#online tr.user td:last-child button { margin: 1px 0 1px 4px; }
.channel { border-top: 1px solid #e4e8ee; padding: 6px 0; }
.channel:first-child { border-top: 0; }
.channel .name { font-weight: 600; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.chip { background: #e0ecfb; color: #1d4e89; border-radius: 10px; padding: 0 8px; font-size: 12px; }
.attrs { width: auto; }
.attrs td { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; padding: 1px 6px; }
#log-section { display: flex; flex-direction: column; min-height: 0; }
.log-head { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 6px; }
.log-head h2 { margin: 0; }
.log-head input[type=search] { flex: 1; min-width: 160px; }
#log-scroll { flex: 1; overflow: auto; border: 1px solid #e4e8ee; border-radius: 4px; background: #fbfcfd; }
#log { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
#log td { padding: 1px 8px; white-space: nowrap; border-bottom: 1px solid #f0f2f5; }
#log td.args { white-space: pre-wrap; word-break: break-all; width: 100%; }
#log td.t { color: #667085; text-align: right; }
#log tr.call td.kind { color: #1d4ed8; }
#log tr.callback td.kind { color: #15803d; }
#log tr.fault { background: #fff1f0; }
#log tr.fault td.kind, #log tr.fault td.name { color: #b42318; font-weight: 600; }
#log tr.server td.kind { color: #7a5af8; }
#log tr.wire td { color: #475467; }
#log tr.wire td.kind { color: #98a2b3; }
#log tr.flagged td.args { color: #b54708; }
`;

// The page's script, plain ES2017 (it runs as the server wrote it).
const SCRIPT = `
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var state = null;
  var stateAt = 0;
  var MAX_ROWS = 5000;

  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') node.textContent = props[k];
      else if (k === 'className') node.className = props[k];
      else if (k === 'onclick') node.addEventListener('click', props[k]);
      else node.setAttribute(k, props[k]);
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function seconds(ms) { return (ms / 1000).toFixed(1) + ' s'; }
  function offset(ms) { return (ms < 0 ? '-' : '+') + (Math.abs(ms) / 1000).toFixed(3) + 's'; }
  function has(control) { return state && state.controls.indexOf(control) >= 0; }
  /** The cloud's time now: on the global clock it moves with real time between updates. */
  function cloudNow() { return state.now + (state.clock === 'global' ? Date.now() - stateAt : 0); }

  function notice(text, isError) {
    var n = $('notice');
    n.textContent = text;
    n.className = isError ? 'error' : '';
    n.hidden = false;
    clearTimeout(notice.timer);
    notice.timer = setTimeout(function () { n.hidden = true; }, isError ? 8000 : 3000);
  }

  function control(body) {
    return fetch('/_dashboard/control', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (answer) { notice(answer.error || answer.done, Boolean(answer.error)); })
      .catch(function (e) { notice('The server did not answer: ' + e.message, true); });
  }

  // ---- the log ----

  function passesFilter(row) {
    var kinds = Array.prototype.filter.call(document.querySelectorAll('.kind'), function (c) { return c.checked; }).map(function (c) { return c.value; });
    if (kinds.indexOf(row.dataset.kind) < 0) return false;
    var q = $('filter').value.trim().toLowerCase();
    return !q || row.textContent.toLowerCase().indexOf(q) >= 0;
  }

  function addEntry(e) {
    var row = el('tr', { className: e.kind + (e.flags ? ' flagged' : ''), 'data-seq': String(e.seq), 'data-kind': e.kind, 'data-client': e.account }, [
      el('td', { className: 't', text: offset(e.t) }),
      el('td', { className: 'client', text: e.client }),
      el('td', { className: 'kind', text: e.kind }),
      el('td', { className: 'name', text: e.name + (e.object ? ' [' + e.object + ']' : '') }),
      el('td', { className: 'args', text: e.args + (e.flags ? '  ' + e.flags : '') }),
    ]);
    row.hidden = !passesFilter(row);
    var body = $('entries');
    body.appendChild(row);
    while (body.childNodes.length > MAX_ROWS) body.removeChild(body.firstChild);
  }

  function follow() {
    if ($('follow').checked) { var s = $('log-scroll'); s.scrollTop = s.scrollHeight; }
  }

  function refilter() {
    Array.prototype.forEach.call($('entries').childNodes, function (row) { row.hidden = !passesFilter(row); });
    follow();
  }
  $('filter').addEventListener('input', refilter);
  Array.prototype.forEach.call(document.querySelectorAll('.kind'), function (c) { c.addEventListener('change', refilter); });

  // ---- the state ----

  function renderUsers() {
    var body = $('online');
    body.textContent = '';
    var count = 0;
    state.apps.forEach(function (app) {
      if (app.online.length === 0) return;
      body.appendChild(el('tr', { className: 'app' }, [el('td', { colspan: '3', text: 'app ' + app.appId + (app.certificate ? ' (tokens required)' : '') })]));
      app.online.forEach(function (u) {
        count++;
        var down = state.net.disconnected.indexOf(u.account) >= 0;
        body.appendChild(el('tr', { className: 'user', 'data-account': u.account, 'data-app': app.appId }, [
          el('td', null, [el('span', { className: 'account', text: u.account }), el('span', { className: 'uid', text: ' uid ' + u.uid })]),
          el('td', { className: 'since', 'data-since': String(u.since), text: seconds(cloudNow() - u.since) }),
          el('td', null, [
            el('button', { className: 'danger kick', text: 'Kick', title: 'the server kicks the session: onLogout(103)', onclick: function () { control({ verb: 'kick', account: u.account, appId: app.appId }); } }),
            has('closeSession') ? el('button', { className: 'quiet close', text: 'Close', title: 'the server closes the session: onLogout(102)', onclick: function () { control({ verb: 'closeSession', account: u.account, appId: app.appId }); } }) : null,
            down ? null : el('button', { className: 'quiet disconnect', text: 'Disconnect', title: 'drop its connection; it cannot reconnect for the seconds above', onclick: function () { control({ verb: 'disconnect', account: u.account, seconds: Number($('disconnect-seconds').value) }); } }),
            has('expireToken') ? el('button', { className: 'quiet expire', text: 'Expire token', onclick: function () { control({ verb: 'expireToken', account: u.account, appId: app.appId, effect: $('expire-effect').value }); } }) : null,
          ]),
        ]));
      });
    });
    // Accounts whose network is down are offline, but can be brought back early.
    state.net.disconnected.forEach(function (account) {
      body.appendChild(el('tr', { 'data-account': account, className: 'user down' }, [
        el('td', null, [el('span', { className: 'account', text: account })]),
        el('td', { text: 'network down' }),
        el('td', null, [el('button', { className: 'quiet reconnect', text: 'Reconnect now', onclick: function () { control({ verb: 'reconnect', account: account }); } })]),
      ]));
    });
    $('nobody').hidden = count > 0 || state.net.disconnected.length > 0;
    Array.prototype.forEach.call(document.querySelectorAll('[data-control]'), function (node) { node.hidden = !has(node.getAttribute('data-control')); });
  }

  function renderChannels() {
    var box = $('channels');
    box.textContent = '';
    var count = 0;
    state.apps.forEach(function (app) {
      app.channels.forEach(function (c) {
        count++;
        var attrs = Object.keys(c.attrs);
        box.appendChild(el('div', { className: 'channel', 'data-channel': c.name, 'data-app': app.appId }, [
          el('div', null, [
            el('span', { className: 'name', text: c.name }),
            el('span', { className: 'muted', text: '  ' + c.members.length + ' member' + (c.members.length === 1 ? '' : 's') + (c.special ? ' · special' : '') + (c.destroyAt !== null ? ' · empty, goes in ' + seconds(c.destroyAt - cloudNow()) : '') + ' · ' + app.appId }),
          ]),
          el('div', { className: 'chips' }, c.members.map(function (m) { return el('span', { className: 'chip member', text: m.account }); })),
          attrs.length ? el('table', { className: 'attrs' }, [el('tbody', null, attrs.map(function (k) {
            return el('tr', { 'data-attr': k }, [el('td', { text: k }), el('td', { text: c.attrs[k] })]);
          }))]) : null,
        ]));
      });
    });
    $('no-channels').hidden = count > 0;
  }

  function renderInvites() {
    var body = $('invites');
    body.textContent = '';
    var count = 0;
    state.apps.forEach(function (app) {
      app.invites.forEach(function (i) {
        count++;
        body.appendChild(el('tr', { 'data-invite': String(i.id) }, [
          el('td', { text: i.caller + ' → ' + i.callee }),
          el('td', { text: i.channel }),
          el('td', { text: i.state }),
          el('td', { className: 'deadline', text: i.deadline === null ? '—' : 'in ' + seconds(i.deadline - cloudNow()) + ' (' + i.deadlineReason + ')' }),
        ]));
      });
    });
    $('no-invites').hidden = count > 0;
  }

  function renderStored() {
    var rows = [];
    state.apps.forEach(function (app) {
      app.storedMessages.forEach(function (m) {
        rows.push(el('tr', null, [el('td', { text: m.to }), el('td', { text: m.from }), el('td', { text: seconds(m.expiresAt - cloudNow()) })]));
      });
    });
    $('stored-section').hidden = rows.length === 0;
    var body = $('stored');
    body.textContent = '';
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function renderNetwork() {
    var n = state.net;
    var parts = [n.latency ? 'latency ' + n.latency + ' ms each way' : 'no added latency'];
    var others = n.rules.slice();
    if (n.latency) others.splice(others.indexOf('latency'), 1);
    if (others.length) parts.push('rules: ' + others.join(', '));
    parts.push(n.outage ? 'OUTAGE' : 'no outage');
    if (n.disconnected.length) parts.push('down: ' + n.disconnected.join(', '));
    $('network-state').textContent = parts.join(' · ');
    $('end-outage').disabled = !n.outageEndable;
    $('connections').textContent = String(state.wire.connections);
    if (document.activeElement !== $('latency')) $('latency').value = String(n.latency);
  }

  function render() {
    if (!state) return;
    $('clock').textContent = offset(cloudNow() - state.startTime);
    renderNetwork();
    renderUsers();
    renderChannels();
    renderInvites();
    renderStored();
  }

  function setState(s) {
    state = s;
    stateAt = Date.now();
    render();
  }

  // ---- controls ----

  $('latency-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    control({ verb: 'latency', ms: Number($('latency').value) });
  });
  $('outage-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    control({ verb: 'outage', seconds: Number($('outage-seconds').value) });
  });
  $('end-outage').addEventListener('click', function () { control({ verb: 'endOutage' }); });

  // ---- the stream ----

  var events = new EventSource('/_dashboard/events');
  events.addEventListener('hello', function (m) {
    var hello = JSON.parse(m.data);
    $('entries').textContent = '';
    hello.entries.forEach(addEntry);
    $('earlier').hidden = hello.earlier === 0;
    $('earlier').textContent = hello.earlier + ' earlier entries are not shown (cloud.log has them).';
    setState(hello.state);
    follow();
    $('live').textContent = 'live';
    $('live').className = 'pill live';
  });
  events.addEventListener('entry', function (m) { addEntry(JSON.parse(m.data)); follow(); });
  events.addEventListener('state', function (m) { setState(JSON.parse(m.data)); });
  events.onerror = function () {
    $('live').textContent = 'disconnected: retrying';
    $('live').className = 'pill down';
  };
  // Times move between updates on the global clock.
  setInterval(function () {
    if (!state) return;
    $('clock').textContent = offset(cloudNow() - state.startTime);
  }, 250);
})();
`;
