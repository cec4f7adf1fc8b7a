// Editor care: a live preview of the Markdown (rendered and sanitised by the origin, exactly as it will be
// published), a confirmation before delete, and a warning before leaving with unsaved changes.
(function () {
  var form = document.querySelector('form.editor');
  if (!form) return;
  var body = form.querySelector('textarea[name=body]');
  var pane = document.getElementById('live-preview');
  var csrf = form.querySelector('input[name=csrf]').value;
  var dirty = false;
  var timer = null;
  var sequence = 0;

  function render() {
    var mine = ++sequence;
    fetch('/editor/preview', {
      method: 'POST',
      credentials: 'same-origin',
      body: new URLSearchParams({ csrf: csrf, body: body.value })
    })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === sequence) pane.innerHTML = html; })
      .catch(function () { if (mine === sequence) pane.textContent = 'The preview is not available right now.'; });
  }

  form.addEventListener('input', function (e) {
    dirty = true;
    if (e.target === body) {
      clearTimeout(timer);
      timer = setTimeout(render, 300);
    }
  });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = '';
  });
  if (pane) render();

  // images: uploaded as they are (the origin checks type and size), then referenced from the Markdown
  var file = document.getElementById('image-file');
  var status = document.getElementById('image-status');
  if (file) {
    file.addEventListener('change', function () {
      var chosen = file.files && file.files[0];
      if (!chosen) return;
      status.textContent = 'Uploading…';
      fetch('/api/images', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': chosen.type || 'application/octet-stream' },
        body: chosen
      })
        .then(function (r) {
          return r.json().then(function (json) { return r.ok ? json : Promise.reject(json.error || r.status); });
        })
        .then(function (image) {
          var at = body.selectionEnd || body.value.length;
          var text = '\n\n' + image.markdown + '\n\n';
          body.value = body.value.slice(0, at) + text + body.value.slice(at);
          dirty = true;
          status.textContent = 'Added ' + image.width + '×' + image.height + ' image.';
          file.value = '';
          render();
        })
        .catch(function (error) { status.textContent = 'Upload failed: ' + error; });
    });
  }

  var remove = document.querySelector('form.delete');
  if (remove) {
    remove.addEventListener('submit', function (e) {
      if (!window.confirm('Delete this post for good? Its address will stop working.')) e.preventDefault();
      else dirty = false;
    });
  }
})();
