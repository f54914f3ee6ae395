// LiveHost producer console: viewers' comments with FAQ suggestions, and the review list of held lines (issue 11).
// Plain browser JavaScript, no build step. Loaded before console.js, whose helpers it uses (livehostConsole.ui): it
// registers its hub events on 'livehost:connection' and (re)loads its lists on 'livehost:subscribed'. Everything that
// comes from viewers, FAQ entries or held lines is put on the page with textContent (el() / append of strings).
'use strict';
(() => {
  // Comments listed at most, newest on top (the server keeps the last Comments:KeepLast, 200 by default).
  const KEEP = 200;
  const $ = id => document.getElementById(id);
  const app = () => window.livehostConsole;
  const ui = () => window.livehostConsole.ui;
  // For monitoring and tests (livehostConsole.panels): the items shown, by comment id and by held line's id.
  const panels = { comments: new Map(), held: new Map() };
  let room = null;

  const setUnavailable = (card, text) => {
    const c = $(card);
    const note = c.querySelector('.unavailable');
    note.hidden = text === null;
    if (text !== null) note.textContent = text;
    c.querySelector('.panel-body').hidden = text !== null;
  };
  const unavailableText = (what, e) => ui().isMissing(e) ? 'not available on this server' : what + ': ' + ui().serverMessage(e);
  const timeOf = iso => iso ? new Date(iso).toLocaleTimeString() : '';

  // ---------------------------------------------------------------- comments
  const loadComments = async () => {
    let comments;
    try {
      comments = await app().connection.invoke('GetComments', room);
    } catch (e) {
      setUnavailable('comments-card', unavailableText('comments', e));
      return;
    }
    setUnavailable('comments-card', null);
    for (const comment of comments || []) addComment(comment);
  };

  const addComment = comment => {
    const existing = panels.comments.get(comment.id);
    if (existing) return existing;
    const { el } = ui();
    const li = el('li', 'comment');
    li.dataset.id = comment.id;
    li.dataset.seq = String(comment.seq);
    const body = el('div', 'text');
    const said = el('div', 'said');
    said.append(el('strong', 'nick', comment.nickname ?? 'viewer'), ' ', el('span', 'words', comment.text));
    body.append(said, el('div', 'meta', [timeOf(comment.at), '#' + comment.seq, comment.anonymous ? 'no key' : null].filter(Boolean).join(' · ')));
    li.append(body);
    // Newest on top, in the room's order (seq) even when a reload and live events interleave.
    const list = $('comments');
    const after = [...list.children].find(item => Number(item.dataset.seq) < comment.seq);
    list.insertBefore(li, after || null);
    panels.comments.set(comment.id, li);
    while (list.childElementCount > KEEP) {
      const oldest = list.lastElementChild;
      panels.comments.delete(oldest.dataset.id);
      oldest.remove();
    }
    $('comment-count').textContent = String(panels.comments.size);
    return li;
  };

  // AnswerSuggested: the FAQ entry and its score beside the comment, with a one-click Answer (producer+).
  const suggest = ({ comment, entry, score }) => {
    const { el, button, act, call, toast, logEvent } = ui();
    const li = addComment(comment);
    const box = el('div', 'suggestion');
    box.dataset.entry = entry.id;
    const faq = el('div', 'faq');
    faq.append(el('div', 'question', 'FAQ: ' + (entry.questions || [])[0]), el('div', 'answer', entry.answer),
      el('div', 'meta', 'score ' + Number(score).toFixed(2) + ' · ' + entry.language + (entry.product ? ' · product ' + entry.product : '')));
    const status = el('span', 'meta status');
    const answer = button('Answer', 'producer', act(async () => {
      answer.disabled = true;
      try {
        const ticket = await call('AnswerComment', comment.id, entry.id, room);
        answer.textContent = 'Answered';
        status.textContent = ticket.position < 0 ? 'held for review' : 'queued at position ' + ticket.position;
        toast('answer queued: @' + (comment.nickname ?? 'viewer'));
        logEvent('answered', '@' + (comment.nickname ?? 'viewer') + ': ' + comment.text);
      } catch (e) {
        answer.disabled = false;
        throw e;
      }
    }));
    box.append(faq, answer, status);
    const old = li.querySelector('.suggestion');
    if (old) old.replaceWith(box); else li.querySelector('.text').append(box);
  };

  // ---------------------------------------------------------------- review list
  // One read at a time; a request during a read runs one more read after it, so the last change is always seen.
  let reading = null, again = false;
  const refreshHeld = () => {
    if (reading) { again = true; return reading; }
    reading = (async () => {
      do { again = false; await readHeld(); } while (again);
    })().finally(() => { reading = null; });
    return reading;
  };

  const readHeld = async () => {
    if (!ui().may('producer')) { setUnavailable('review-card', 'lines held for review are shown to producers and admins'); return; }
    let lines;
    try {
      lines = (await app().connection.invoke('GetHeldLines', room)) || [];
    } catch (e) {
      setUnavailable('review-card', unavailableText('review', e));
      return;
    }
    setUnavailable('review-card', null);
    const wanted = new Set(lines.map(h => h.line.id));
    for (const [id, li] of panels.held) if (!wanted.has(id)) forget(id, li);
    for (const held of lines) {
      if (panels.held.has(held.line.id)) continue;
      panels.held.set(held.line.id, heldItem(held));
      ui().logEvent('held', held.line.text);
    }
    // Items already shown keep their node (an open editor keeps what was typed); moved only when the order changed.
    const list = $('held');
    const order = lines.map(h => panels.held.get(h.line.id));
    if (order.length !== list.childElementCount || order.some((li, i) => list.children[i] !== li)) list.replaceChildren(...order);
    showHeldCount();
  };

  const forget = (id, li) => {
    (li || panels.held.get(id))?.remove();
    panels.held.delete(id);
    showHeldCount();
  };
  const showHeldCount = () => {
    const count = panels.held.size;
    $('held-count').textContent = count > 0 ? String(count) : '';
    $('held-empty').hidden = count > 0;
  };

  // The held line's text with the blocked term marked, where the server says it is (hit.position counts user-perceived
  // characters from 1, like the server); unmarked when the text there is not the term as listed (e.g. full-width forms).
  const marked = (className, text, hit) => {
    const { el } = ui();
    const div = el('div', className);
    const at = hit ? locate(text, hit) : -1;
    if (at < 0) div.textContent = text;
    else div.append(text.slice(0, at), el('mark', null, text.slice(at, at + hit.term.length)), text.slice(at + hit.term.length));
    return div;
  };
  const locate = (text, hit) => {
    let index = -1, n = 1;
    for (const segment of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
      if (n++ === hit.position) { index = segment.index; break; }
    }
    return index >= 0 && text.slice(index, index + hit.term.length).toLowerCase() === hit.term.toLowerCase() ? index : -1;
  };

  const heldItem = held => {
    const { el, button, act } = ui();
    const { line, term } = held;
    const li = el('li', 'held');
    li.dataset.id = line.id;
    const body = el('div', 'text');
    body.append(marked('line', line.text, term.field === 'text' ? term : null));
    if (line.caption) {
      const caption = marked('caption', line.caption, term.field === 'caption' ? term : null);
      caption.prepend(el('span', 'muted', 'caption: '));
      body.append(caption);
    }
    // A held model answer (issue 18) names no blocked term: the term's field is 'source' and its term says why it is held.
    const why = term.field === 'source' ? 'held for approval: ' + term.term + ' (source ' + (line.source || 'live') + ')'
      : "blocked term '" + term.term + "' (" + term.language + ' list) at character ' + term.position + ' of the ' + term.field;
    body.append(el('div', 'meta term', why),
      el('div', 'meta', [line.language, line.voice || 'default voice', held.cue ? 'cued: plays first once approved' : 'queued',
        'held at ' + timeOf(held.heldAt)].join(' · ')));
    const editor = el('div', 'editor');
    editor.hidden = true;
    const box = el('textarea');
    box.rows = 2;
    box.maxLength = 5000;
    box.value = line.text;
    box.dataset.role = 'producer';
    box.setAttribute('aria-label', 'new text');
    const row = el('div', 'row wrap');
    row.append(button('Approve edited', 'producer', act(() => approve(line.id, box.value))),
      button('Cancel', 'producer', () => { editor.hidden = true; box.value = line.text; }));
    editor.append(box, row);
    body.append(editor);
    const actions = el('div', 'actions');
    actions.append(
      button('Approve', 'producer', act(() => approve(line.id, null))),
      button('Edit', 'producer', () => { editor.hidden = false; box.focus(); }),
      button('Reject', 'producer', act(() => reject(line.id))));
    li.append(body, actions);
    return li;
  };

  // A refused approval (e.g. the edit still holds a blocked term) is shown by call() and leaves the line held.
  const approve = async (id, text) => {
    const ticket = await ui().call('ApproveLine', id, text, room);
    forget(id);
    ui().toast(ticket.position === 0 ? 'approved: plays next' : 'approved: queued at position ' + ticket.position);
  };
  const reject = async id => {
    const held = await ui().call('RejectLine', id, room);
    forget(id);
    ui().toast('rejected');
    ui().logEvent('rejected', held.line.text);
  };

  // ---------------------------------------------------------------- wiring (events from console.js)
  document.addEventListener('livehost:connection', e => {
    const connection = e.detail;
    room = app().room;
    app().panels = panels;
    connection.on('CommentPosted', comment => { if (comment && comment.room === room) addComment(comment); });
    connection.on('AnswerSuggested', s => { if (s && s.comment && s.comment.room === room) suggest(s); });
    // No event names a held line: every hold, approval and rejection sends StateChanged, whose `held` counts them.
    connection.on('StateChanged', state => {
      if (state && state.room === room && (state.held > 0 || panels.held.size > 0)) refreshHeld();
    });
  });
  document.addEventListener('livehost:subscribed', () => {
    loadComments();
    refreshHeld();
  });
})();
