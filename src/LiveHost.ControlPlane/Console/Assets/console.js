// LiveHost producer console. Plain browser JavaScript, no build step. Every piece of text that comes from users or the
// server (lines, names, errors) is put on the page with textContent or as an attribute value, never as markup.
// The key lives in sessionStorage only: never in the address, the page, a cookie or a log.
'use strict';
(() => {
  const ROLES = ['viewer', 'seller', 'producer', 'admin'];
  const KEY_STORE = 'livehost.console.key';
  // Estimated speaking rate, for "estimated start" of queued lines: characters a second, plus a pause between lines.
  const RATE = { en: 15, zh: 5 };
  const GAP_MS = 300;
  const room = decodeURIComponent(location.pathname.split('/')[2] || 'main');
  const $ = id => document.getElementById(id);

  const app = {
    room, role: null, name: null, connection: null, state: null,
    scripts: null, products: null, preview: null, events: [], lastError: null,
    missing: new Set(),
  };
  // For monitoring and tests: the live objects, read-only by convention.
  window.livehostConsole = app;

  const rank = role => ROLES.indexOf(role);
  const may = role => app.role !== null && rank(app.role) >= rank(role);

  // ---------------------------------------------------------------- small helpers
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };
  const button = (label, role, onClick, title) => {
    const b = el('button', null, label);
    b.type = 'button';
    b.dataset.role = role;
    if (title) { b.title = title; b.setAttribute('aria-label', title); }
    b.disabled = !may(role);
    b.addEventListener('click', onClick);
    return b;
  };
  const clock = ms => {
    const s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  };
  const timeOf = iso => iso ? new Date(iso).toLocaleTimeString() : '';
  const estimateMs = line => {
    if (line.durationMs) return line.durationMs;
    const chars = [...(line.text || '')].length;
    return Math.round(chars / (RATE[line.language] || RATE.en) * 1000) + GAP_MS;
  };
  const sourceOf = line => line.source || (line.kind === 'audio' ? 'audio' : 'live');
  const serverMessage = e => {
    const text = String(e && e.message || e);
    const at = text.indexOf('HubException: ');
    return at >= 0 ? text.slice(at + 'HubException: '.length) : text;
  };
  const isMissing = e => /method does not exist|unknown hub method|Invocation provides/i.test(String(e && e.message || e));

  let toastTimer = 0;
  const toast = (text, error) => {
    const t = $('toast');
    t.textContent = text;
    t.className = error ? 'error' : '';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.textContent = ''; }, error ? 6000 : 2500);
  };

  const logEvent = (kind, text) => {
    const entry = { at: new Date(), kind, text };
    app.events.push(entry);
    if (app.events.length > 300) app.events.shift();
    const li = el('li');
    li.dataset.kind = kind;
    li.append(el('time', null, entry.at.toLocaleTimeString()), el('strong', null, kind + ' '), el('span', null, text));
    const list = $('events');
    list.prepend(li);
    while (list.childElementCount > 200) list.lastElementChild.remove();
  };

  const authHeaders = () => {
    const key = sessionStorage.getItem(KEY_STORE);
    return key ? { Authorization: 'Bearer ' + key } : {};
  };
  const problemOf = async response => {
    const body = await response.text();
    try { return JSON.parse(body).detail || body; } catch { return body || String(response.status); }
  };
  const api = async (method, path, body) => {
    const init = { method, headers: { ...authHeaders() } };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    const response = await fetch(path, init);
    if (!response.ok) {
      const error = new Error(await problemOf(response));
      error.status = response.status;
      throw error;
    }
    return response.status === 204 ? null : response.json();
  };
  const roomPath = suffix => '/api/rooms/' + encodeURIComponent(room) + suffix;

  // A hub call: refusals are shown (toast and event log) and rethrown.
  const call = async (method, ...args) => {
    try {
      return await app.connection.invoke(method, ...args);
    } catch (e) {
      const message = serverMessage(e);
      app.lastError = { method, message };
      if (isMissing(e)) app.missing.add(method);
      toast(method + ': ' + message, true);
      logEvent('refused', method + ': ' + message);
      throw e;
    }
  };
  const act = fn => async () => { try { await fn(); } catch { /* shown by call() */ } };
  // For panels in other files (console-comments.js): 'livehost:connection' before start, 'livehost:subscribed' after each Subscribe.
  app.ui = { el, button, call, act, may, toast, logEvent, serverMessage, isMissing };
  const announce = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

  const setUnavailable = (card, unavailable) => {
    const c = $(card);
    c.querySelector('.unavailable').hidden = !unavailable;
    c.querySelector('.panel-body').hidden = unavailable;
  };

  // ---------------------------------------------------------------- role
  const applyRole = () => {
    document.querySelectorAll('[data-role]').forEach(node => { node.disabled = !may(node.dataset.role); });
    $('audit-card').hidden = !may('admin');
    const who = $('who');
    who.textContent = app.name === null ? '' : app.name + ' (' + app.role + ')';
  };

  // ---------------------------------------------------------------- room state
  const applyState = state => {
    if (!state || state.room !== room) return;
    app.state = state;
    render();
  };
  const dropFromQueue = id => {
    if (!app.state) return;
    app.state = { ...app.state, queue: app.state.queue.filter(l => l.id !== id) };
  };

  const remainingOfCurrentMs = () => {
    const current = app.state && app.state.current;
    if (!current) return 0;
    const elapsed = current.startedAt ? Date.now() - Date.parse(current.startedAt) : 0;
    return Math.max(0, estimateMs(current) - elapsed);
  };

  const render = () => {
    renderOnAir();
    renderQueue();
    renderOutputs(app.state ? app.state.outputs : []);
    renderScriptState();
    renderProductState();
  };

  const renderOnAir = () => {
    const s = app.state;
    const current = s && s.current;
    $('activity').textContent = s ? s.activity : '';
    $('on-air-text').textContent = current ? (current.text || '(audio clip)') : (s && s.paused ? '(paused)' : '(nothing on air)');
    $('pause').textContent = s && s.paused ? 'Resume' : 'Pause';
    $('presenter').textContent = s && s.presenter ? 'Presenter: ' + s.presenter + (s.voice ? ' · voice ' + s.voice : '') : '';
    tickProgress();
  };

  const tickProgress = () => {
    const current = app.state && app.state.current;
    const bar = $('on-air-progress');
    if (!current || !current.startedAt) { bar.style.width = '0'; $('on-air-time').textContent = ''; return; }
    const elapsed = Math.max(0, Date.now() - Date.parse(current.startedAt));
    const total = estimateMs(current);
    bar.style.width = Math.min(100, elapsed / total * 100).toFixed(1) + '%';
    const exact = current.durationMs ? '' : ' (estimated)';
    $('on-air-time').textContent = clock(elapsed) + ' / ' + clock(total) + ' · ' + clock(total - elapsed) + ' left' + exact
      + ' · ' + current.language + ' · ' + sourceOf(current);
  };

  let dragId = null;
  const renderQueue = () => {
    const list = $('queue');
    const queue = app.state ? app.state.queue : [];
    const scheduled = app.state && app.state.scheduled || [];
    $('queue-count').textContent = String(queue.length);
    const items = [];
    let startIn = remainingOfCurrentMs();
    queue.forEach((line, index) => {
      const li = el('li');
      li.dataset.id = line.id;
      const canEdit = may('producer');
      li.draggable = canEdit;
      const body = el('div', 'text');
      body.append(el('div', 'line', line.text || '(audio clip)'));
      const start = app.state.paused ? 'paused' : '~' + clock(startIn) + ' (' + new Date(Date.now() + startIn).toLocaleTimeString() + ')';
      body.append(el('div', 'meta', [line.language, line.voice || 'default voice', sourceOf(line),
        line.interruptible === false ? 'not interruptible' : null, 'starts ' + start].filter(Boolean).join(' · ')));
      startIn += estimateMs(line);
      const actions = el('div', 'actions');
      actions.append(
        button('↑', 'producer', act(() => move(line.id, index - 1)), 'move up'),
        button('↓', 'producer', act(() => move(line.id, index + 1)), 'move down'),
        button('✕', 'producer', act(() => remove(line.id)), 'remove'));
      actions.children[0].disabled ||= index === 0;
      actions.children[1].disabled ||= index === queue.length - 1;
      li.append(body, actions);
      if (canEdit) wireDrag(li, line.id, index);
      items.push(li);
    });
    for (const line of scheduled) {
      const li = el('li');
      li.dataset.id = line.id;
      li.className = 'scheduled';
      const body = el('div', 'text');
      body.append(el('div', 'line', line.text || '(audio clip)'),
        el('div', 'meta', [line.language, line.voice || 'default voice', sourceOf(line), 'scheduled for ' + timeOf(line.at)].join(' · ')));
      li.append(body);
      items.push(li);
    }
    list.replaceChildren(...items);
  };

  const wireDrag = (li, id, index) => {
    li.addEventListener('dragstart', e => {
      dragId = id;
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', id);
      li.classList.add('dragging');
    });
    li.addEventListener('dragend', () => { dragId = null; li.classList.remove('dragging'); });
    li.addEventListener('dragover', e => {
      if (dragId === null || dragId === id) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      li.classList.add('drop-before');
    });
    li.addEventListener('dragleave', () => li.classList.remove('drop-before'));
    li.addEventListener('drop', e => {
      e.preventDefault();
      li.classList.remove('drop-before');
      const moving = dragId || e.dataTransfer.getData('text/plain');
      dragId = null;
      // The dragged line takes the place of the one it is dropped on.
      if (moving && moving !== id) act(() => move(moving, index))();
    });
  };

  const move = async (id, position) => {
    if (position < 0 || !app.state || position >= app.state.queue.length) return;
    applyState(await call('MoveLine', id, position, room));
  };
  const remove = async id => applyState(await call('RemoveLine', id, room));

  // ---------------------------------------------------------------- line box and transport
  const lineRequest = () => {
    const text = $('line-text').value;
    const language = $('line-language').value || null;
    const voice = $('line-voice').value.trim() || null;
    return { room, text, language, voice };
  };
  const submitLine = async (method, ...extra) => {
    const request = lineRequest();
    if (!request.text.trim()) { toast('type what the presenter should say first', true); return; }
    const ticket = await call(method, request, ...extra);
    $('line-text').value = '';
    // Position -1: the room reviews lines (moderation) and holds this one until a producer approves it.
    toast(ticket.position < 0 ? 'held for review: it contains a blocked term' : method === 'CueNow' ? 'cued now' : 'queued at position ' + ticket.position);
  };

  // ---------------------------------------------------------------- scripts
  const loadScripts = async () => {
    try {
      const result = await app.connection.invoke('ListScripts');
      app.scripts = Array.isArray(result) ? result : (result && result.scripts) || [];
      setUnavailable('scripts-card', false);
    } catch (e) {
      app.scripts = null;
      setUnavailable('scripts-card', true);
      if (!isMissing(e)) $('scripts-card').querySelector('.unavailable').textContent = 'scripts: ' + serverMessage(e);
      return;
    }
    const items = app.scripts.map(script => {
      const li = el('li');
      li.dataset.id = script.id;
      const body = el('div', 'text');
      body.append(el('div', 'line', script.name), el('div', 'meta', (script.lineCount ?? (script.lines || []).length) + ' lines'));
      const actions = el('div', 'actions');
      actions.append(
        button('Play once', 'producer', act(async () => applyState(await call('PlayScript', script.id, 'once', room)))),
        button('Loop', 'producer', act(async () => applyState(await call('PlayScript', script.id, 'loop', room)))),
        button('✕', 'seller', act(async () => { await call('DeleteScript', script.id); await loadScripts(); }), 'delete script'));
      li.append(body, actions);
      return li;
    });
    $('scripts').replaceChildren(...items);
  };
  const renderScriptState = () => {
    const script = app.state && app.state.script;
    $('script-state').textContent = script ? script.name + ' · ' + script.mode + ' · ' + (script.position + 1) + '/' + script.length : '';
  };
  const saveScript = async () => {
    const name = $('script-name').value.trim();
    const lines = $('script-text').value.split('\n').map(t => t.trim()).filter(t => t.length > 0).map(text => ({ text }));
    if (!name || lines.length === 0) { toast('a script needs a name and at least one line', true); return; }
    await call('SaveScript', { id: null, name, lines });
    $('script-name').value = '';
    $('script-text').value = '';
    await loadScripts();
  };

  // ---------------------------------------------------------------- products
  const loadProducts = async () => {
    try {
      const result = await app.connection.invoke('ListProducts');
      app.products = Array.isArray(result) ? result : (result && result.products) || [];
      setUnavailable('products-card', false);
    } catch (e) {
      app.products = null;
      setUnavailable('products-card', true);
      if (!isMissing(e)) $('products-card').querySelector('.unavailable').textContent = 'products: ' + serverMessage(e);
      return;
    }
    const items = app.products.map(product => {
      const li = el('li');
      li.dataset.id = product.id;
      const body = el('div', 'text');
      body.append(el('div', 'line', product.name),
        el('div', 'meta', [product.price + ' ' + product.currency, ...(product.bullets || [])].join(' · ')));
      const actions = el('div', 'actions');
      actions.append(
        button('Show', 'producer', act(async () => applyState(await call('ShowProduct', product.id, null, room)))),
        button('✕', 'seller', act(async () => { await call('DeleteProduct', product.id); await loadProducts(); }), 'delete product'));
      li.append(body, actions);
      return li;
    });
    $('products').replaceChildren(...items);
  };
  const renderProductState = () => {
    const product = app.state && app.state.product;
    $('product-state').textContent = product ? 'on screen: ' + product.name + (product.endsAt ? ' until ' + timeOf(product.endsAt) : '') : '';
  };
  const saveProduct = async () => {
    const name = $('product-name').value.trim();
    const price = Number($('product-price').value.replace(',', '.'));
    const currency = $('product-currency').value.trim().toUpperCase() || 'USD';
    const bullets = $('product-bullets').value.split('\n').map(t => t.trim()).filter(t => t.length > 0);
    if (!name || !Number.isFinite(price)) { toast('a product needs a name and a price', true); return; }
    await call('SaveProduct', { id: null, name, price, currency, bullets });
    $('product-name').value = '';
    $('product-price').value = '';
    $('product-bullets').value = '';
    await loadProducts();
  };

  // ---------------------------------------------------------------- outputs
  const renderOutputs = outputs => {
    const items = (outputs || []).map(output => {
      const li = el('li');
      li.dataset.id = output.id;
      const body = el('div', 'text');
      body.append(el('div', 'line', output.url),
        el('div', 'meta', [output.kind, output.preset, output.status, Math.round((output.bitsPerSecond || 0) / 1000) + ' kbit/s',
          output.connects + ' connects', (output.reconnects || 0) + ' reconnects', output.droppedFrames + ' frames dropped'].filter(Boolean).join(' · ')));
      if (output.lastError) body.append(el('div', 'meta error', output.lastError));
      const actions = el('div', 'actions');
      const paused = output.status === 'paused';
      if (output.status !== 'stopped') actions.append(button(paused ? '▶' : '⏸', 'admin', act(async () => {
        const path = roomPath('/outputs/' + encodeURIComponent(output.id) + (paused ? '/resume' : '/pause'));
        try { await api('POST', path); } catch (e) { toast(e.message, true); return; }
        await refreshOutputs();
      }), paused ? 'resume output' : 'pause output'));
      actions.append(button('✕', 'admin', act(async () => {
        try { await api('DELETE', roomPath('/outputs/' + encodeURIComponent(output.id))); } catch (e) { toast(e.message, true); return; }
        await refreshOutputs();
      }), 'remove output'));
      li.append(body, actions);
      return li;
    });
    if (items.length === 0) items.push(el('li', 'muted', 'no outputs'));
    $('outputs').replaceChildren(...items);
  };
  const refreshOutputs = async () => {
    if (!may('producer')) return;
    try {
      const outputs = await api('GET', roomPath('/outputs'));
      setUnavailable('outputs-card', false);
      if (app.state) app.state = { ...app.state, outputs };
      renderOutputs(outputs);
    } catch (e) {
      if (e.status === 503 || e.status === 404) setUnavailable('outputs-card', true);
    }
  };
  const addOutput = async () => {
    const url = $('output-url').value.trim();
    if (!url) return;
    try {
      await api('POST', roomPath('/outputs'), { url });
      $('output-url').value = '';
    } catch (e) {
      toast(e.message, true);
      logEvent('refused', 'add output: ' + e.message);
    }
    await refreshOutputs();
  };

  // ---------------------------------------------------------------- health
  const refreshHealth = async () => {
    const pill = $('health');
    const parts = [];
    try {
      const response = await fetch('/healthz');
      if (response.ok) {
        pill.textContent = 'ok';
        pill.className = 'pill ok';
      } else {
        const report = await response.json().catch(() => ({ status: String(response.status), rooms: [] }));
        pill.textContent = report.status;
        pill.className = 'pill bad';
        for (const r of report.rooms || []) parts.push(r.room + ': ' + (r.problem || (r.lagMilliseconds + ' ms behind')));
      }
      const metrics = await (await fetch('/metrics')).text();
      const lag = metricOf(metrics, 'livehost_engine_lag_seconds');
      if (lag !== null) parts.unshift('engine lag ' + (lag * 1000).toFixed(0) + ' ms');
      const cue = metricOf(metrics, 'livehost_cue_to_first_audio_seconds_sum');
      const cues = metricOf(metrics, 'livehost_cue_to_first_audio_seconds_count');
      if (cue !== null && cues) parts.push('cue to first audio ' + (cue / cues * 1000).toFixed(0) + ' ms (mean)');
    } catch (e) {
      pill.textContent = 'unreachable';
      pill.className = 'pill bad';
    }
    $('health-detail').textContent = parts.join(' · ');
  };
  const metricOf = (text, name) => {
    const prefix = name + '{';
    for (const line of text.split('\n')) {
      if (!line.startsWith(prefix) || !line.includes('room="' + room + '"')) continue;
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) return value;
    }
    return null;
  };

  // ---------------------------------------------------------------- audit
  // The audit is read oldest first from a cursor (`after`); the panel keeps the newest 200, newest on top.
  let auditAfter = 0, auditReading = null;
  const refreshAudit = () => auditReading ??= readAudit().finally(() => { auditReading = null; });
  const readAudit = async () => {
    if (!may('admin')) return;
    try {
      for (let pages = 0; pages < 20; pages++) {
        const page = await api('GET', '/api/audit?room=' + encodeURIComponent(room) + '&after=' + auditAfter + '&limit=500');
        setUnavailable('audit-card', false);
        const list = $('audit');
        for (const entry of (page && page.entries) || []) {
          const li = el('li');
          li.dataset.seq = String(entry.seq);
          li.append(el('time', null, new Date(entry.at).toLocaleTimeString()),
            el('span', null, '#' + entry.seq + ' ' + entry.keyName + ' (' + entry.role + ') ' + entry.command + ' '
              + entry.arguments + ' → ' + entry.result));
          list.prepend(li);
          auditAfter = Math.max(auditAfter, entry.seq);
        }
        while (list.childElementCount > 200) list.lastElementChild.remove();
        if (!page || page.next === null || page.next === undefined) break;
        auditAfter = Math.max(auditAfter, page.next);
      }
    } catch (e) {
      setUnavailable('audit-card', e.status === 404 || e.status === 405);
    }
  };
  const verifyAudit = async () => {
    try {
      const v = await api('GET', '/api/audit/verify');
      $('audit-verdict').textContent = v.intact ? 'intact (' + v.entries + ' entries)' : 'BROKEN at #' + v.brokenAt + ': ' + (v.reason || '');
    } catch (e) {
      $('audit-verdict').textContent = e.message;
    }
  };

  // ---------------------------------------------------------------- preview (console-preview.js)
  const startPreview = () => {
    app.preview = window.LiveHostPreview.start($('preview'), $('preview-status'), $('unmute'), room, authHeaders, problemOf);
  };

  // ---------------------------------------------------------------- hub
  const connect = async () => {
    const connection = new signalR.HubConnectionBuilder()
      // The key goes in the WebSocket's access_token query (browsers cannot set headers there); only /hubs accepts it.
      .withUrl('/hubs/control', { accessTokenFactory: () => sessionStorage.getItem(KEY_STORE) || '' })
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000])
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    app.connection = connection;
    const mine = line => line && line.room === room;
    connection.on('LineQueued', line => {
      if (!mine(line)) return;
      logEvent('queued', line.text);
      if (app.state && !app.state.queue.some(l => l.id === line.id) && line.status === 'queued' && !line.at) {
        app.state = { ...app.state, queue: [...app.state.queue, line] };
        render();
      }
    });
    connection.on('LineStarted', line => {
      if (!mine(line)) return;
      logEvent('started', line.text);
      if (app.state) { dropFromQueue(line.id); app.state = { ...app.state, current: line }; render(); }
    });
    connection.on('LineFinished', line => {
      if (!mine(line)) return;
      logEvent('finished', line.reason + ': ' + line.text);
      if (app.state) {
        dropFromQueue(line.id);
        if (app.state.current && app.state.current.id === line.id) app.state = { ...app.state, current: null };
        render();
      }
    });
    connection.on('StateChanged', applyState);
    connection.on('QueueChanged', change => {
      if (!change || change.room !== room || !app.state) return;
      const byId = new Map(app.state.queue.map(l => [l.id, l]));
      if (change.lineIds.every(id => byId.has(id))) {
        app.state = { ...app.state, queue: change.lineIds.map(id => byId.get(id)) };
        render();
      } else {
        refreshState();
      }
    });
    connection.on('ScriptsChanged', () => loadScripts());
    connection.on('ProductsChanged', () => loadProducts());
    connection.onreconnecting(() => setLink('reconnecting', false));
    connection.onreconnected(async () => { setLink('live', true); await subscribe(); });
    connection.onclose(() => setLink('offline', false));
    announce('livehost:connection', connection);
    await connection.start();
    setLink('live', true);
    await subscribe();
  };
  const subscribe = async () => {
    applyState(await app.connection.invoke('Subscribe', room));
    await Promise.all([loadScripts(), loadProducts()]);
    announce('livehost:subscribed', room);
  };
  const refreshState = async () => {
    try { applyState(await app.connection.invoke('GetState', room)); } catch { /* the next event or reconnect catches up */ }
  };
  const setLink = (text, ok) => { $('link').textContent = text; $('link').className = 'pill ' + (ok ? 'ok' : 'bad'); };

  // ---------------------------------------------------------------- sign in / out
  const signIn = async key => {
    const response = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + key } });
    if (response.status === 401) throw new Error('this key is not valid here');
    if (!response.ok) throw new Error(await problemOf(response));
    const me = await response.json();
    sessionStorage.setItem(KEY_STORE, key);
    app.name = me.name;
    app.role = me.role;
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    applyRole();
    logEvent('signed in', me.name + ' (' + me.role + ')');
    await connect();
    applyRole();
    startPreview();
    refreshHealth();
    refreshOutputs();
    refreshAudit();
    setInterval(refreshHealth, 5000);
    setInterval(refreshOutputs, 3000);
    setInterval(tickProgress, 250);
    setInterval(() => { if (dragId === null) renderQueue(); }, 5000);
    setInterval(refreshAudit, 5000);
    app.ready = true;
  };
  const signOut = () => { sessionStorage.removeItem(KEY_STORE); location.reload(); };

  const wire = () => {
    $('room-name').textContent = 'room ' + room;
    document.title = 'LiveHost console – ' + room;
    $('sign-in-form').addEventListener('submit', async e => {
      e.preventDefault();
      const input = $('key');
      const key = input.value.trim();
      input.value = '';
      $('sign-in-error').textContent = '';
      try { await signIn(key); } catch (error) { sessionStorage.removeItem(KEY_STORE); $('sign-in-error').textContent = error.message; }
    });
    $('sign-out').addEventListener('click', signOut);
    $('queue-line').addEventListener('click', act(() => submitLine('EnqueueLine')));
    $('insert-line').addEventListener('click', act(() => submitLine('InsertLine', 0)));
    $('cue-line').addEventListener('click', act(() => submitLine('CueNow')));
    $('skip').addEventListener('click', act(() => call('Skip', room)));
    $('pause').addEventListener('click', act(() => call(app.state && app.state.paused ? 'Resume' : 'Pause', room)));
    $('clear').addEventListener('click', act(() => call('ClearQueue', room)));
    $('presenter-switch').addEventListener('click', act(async () => applyState(await call('SetPresenter', room, $('presenter-avatar').value, null, false, null))));
    $('presenter-now').addEventListener('click', act(async () => applyState(await call('SetPresenter', room, $('presenter-avatar').value, null, true, null))));
    $('script-stop').addEventListener('click', act(async () => applyState(await call('StopScript', room))));
    $('script-save').addEventListener('click', act(saveScript));
    $('product-hide').addEventListener('click', act(async () => applyState(await call('HideProduct', room))));
    $('product-save').addEventListener('click', act(saveProduct));
    $('output-add').addEventListener('click', addOutput);
    $('audit-refresh').addEventListener('click', refreshAudit);
    $('audit-verify').addEventListener('click', verifyAudit);
    $('line-text').addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); act(() => submitLine('EnqueueLine'))(); }
    });
    const stored = sessionStorage.getItem(KEY_STORE);
    if (stored) signIn(stored).catch(error => { sessionStorage.removeItem(KEY_STORE); $('sign-in-error').textContent = error.message; });
  };

  wire();
})();
