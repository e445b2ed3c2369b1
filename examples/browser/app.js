// A small Signaling app: log in, chat with a peer, join a channel, call someone.
// It uses only the SDK's global `Signal`, as a script-tag app does; the page decides which
// SDK that is (index.html: the emulator's in-page cloud; real-sdk.html: the real 1.4.0 SDK).
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var APP_ID = params.get('app') || 'browser-example';
  var signal = Signal(APP_ID);
  var session = null;
  var channel = null;
  var call = null;

  var $ = function (id) { return document.getElementById(id); };

  function show(listId, text, kind) {
    var li = document.createElement('li');
    li.textContent = text;
    if (kind) li.className = kind;
    $(listId).appendChild(li);
  }

  function setStatus(text, state) {
    $('status').textContent = text;
    document.body.dataset.state = state;
  }

  // Codes of onLogout / onLoginFailed, as the 1.4.0 documentation names them.
  var LOGOUT_REASONS = { 101: 'you logged out', 102: 'the connection was lost', 103: 'kicked: logged in elsewhere or by the server' };

  // ---- login ----

  $('login-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var account = $('account').value.trim();
    if (!account) return;
    setStatus('logging in as ' + account + '…', 'logging-in');
    session = signal.login(account, '_no_need_token');
    session.onLoginSuccess = function (uid) {
      setStatus('logged in as ' + account + ' (uid ' + uid + ')', 'logged-in');
    };
    session.onLoginFailed = function (code) {
      setStatus('login failed (' + code + ')', 'logged-out');
    };
    session.onLogout = function (code) {
      setStatus('logged out (' + code + ': ' + (LOGOUT_REASONS[code] || 'unknown') + ')', 'logged-out');
      // The server took the session out of its channels too.
      channel = null;
      $('channel-state').textContent = '';
    };
    session.onMessageInstantReceive = function (from, uid, msg) {
      show('messages', from + ': ' + msg, 'in');
    };
    session.onInviteReceived = function (incoming) {
      call = incoming;
      watchCall(incoming);
      show('calls', incoming.peer + ' is calling (' + incoming.channelName + ')', 'in');
      $('call-answer').hidden = false;
    };
  });

  $('logout').addEventListener('click', function () {
    if (session) session.logout();
  });

  // ---- peer messages ----

  $('message-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var peer = $('peer').value.trim();
    var text = $('message').value;
    if (!session || !peer) return;
    session.messageInstantSend(peer, text, function (isError) {
      show('messages', 'me → ' + peer + ': ' + text + (isError ? ' (not sent)' : ''), isError ? 'error' : 'out');
    });
    $('message').value = '';
  });

  // ---- channel ----

  function renderMembers(members) {
    $('members').textContent = '';
    members.forEach(function (m) { show('members', m); });
  }

  $('channel-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('channel-name').value.trim();
    if (!session || !name) return;
    var members = [];
    channel = session.channelJoin(name);
    channel.onChannelJoined = function () {
      $('channel-state').textContent = 'in ' + name;
    };
    channel.onChannelJoinFailed = function (reason) {
      $('channel-state').textContent = 'could not join ' + name + ': ' + reason;
    };
    channel.onChannelUserList = function (users) {
      members = users.map(function (u) { return u[0]; });
      renderMembers(members);
    };
    channel.onChannelUserJoined = function (account) {
      members.push(account);
      renderMembers(members);
    };
    channel.onChannelUserLeaved = function (account) {
      members = members.filter(function (m) { return m !== account; });
      renderMembers(members);
    };
    channel.onMessageChannelReceive = function (account, uid, msg) {
      // 1.4.0 echoes your own channel messages back: skip them, they are shown when sent.
      if (account !== session.account) show('channel-messages', account + ': ' + msg, 'in');
    };
  });

  $('channel-message-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = $('channel-message').value;
    if (!channel) return;
    channel.messageChannelSend(text, function () {
      show('channel-messages', 'me: ' + text, 'out');
    });
    $('channel-message').value = '';
  });

  // ---- calls ----

  function watchCall(c) {
    c.onInviteReceivedByPeer = function () { show('calls', c.peer + ' is ringing', 'info'); };
    c.onInviteAcceptedByPeer = function () { show('calls', c.peer + ' answered: in call', 'in'); };
    c.onInviteRefusedByPeer = function () { show('calls', c.peer + ' declined', 'info'); };
    c.onInviteFailed = function (extra) { show('calls', 'call failed: ' + extra, 'error'); };
    c.onInviteEndByPeer = function () { show('calls', c.peer + ' hung up', 'info'); };
    c.onInviteEndByMyself = function () { show('calls', 'you hung up', 'info'); };
  }

  $('call-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var peer = $('callee').value.trim();
    if (!session || !peer) return;
    call = session.channelInviteUser2('call-' + session.account + '-' + peer, peer, '');
    watchCall(call);
    show('calls', 'calling ' + peer + '…', 'out');
  });

  $('accept').addEventListener('click', function () {
    if (!call) return;
    call.channelInviteAccept('');
    $('call-answer').hidden = true;
    show('calls', 'in call with ' + call.peer, 'in');
  });

  $('refuse').addEventListener('click', function () {
    if (!call) return;
    call.channelInviteRefuse('');
    $('call-answer').hidden = true;
  });

  $('hang-up').addEventListener('click', function () {
    if (call) call.channelInviteEnd('');
  });

  var preset = params.get('account');
  if (preset) $('account').value = preset;
})();
