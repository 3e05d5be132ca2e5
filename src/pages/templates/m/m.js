// Only improves the pages: every form works without it.
(function () {
  'use strict';
  // "Use my location" fills the hidden coordinates (browser geolocation gives WGS-84).
  var locate = document.getElementById('locate');
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener('click', function () {
      var out = document.getElementById('located');
      out.textContent = '正在获取位置…';
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById('latitude').value = p.coords.latitude.toFixed(6);
        document.getElementById('longitude').value = p.coords.longitude.toFixed(6);
        document.getElementById('coord_system').value = 'wgs84';
        out.textContent = '已获取当前位置';
      }, function () { out.textContent = '未能获取位置，可不填'; }, { enableHighAccuracy: true, timeout: 10000 });
    });
  }
  // Previews of the chosen photos, and a check of their number and size before sending.
  var photos = document.getElementById('photos');
  if (photos && window.URL && URL.createObjectURL) {
    photos.addEventListener('change', function () {
      var box = document.getElementById('previews'), msg = document.getElementById('photo_msg');
      box.textContent = '';
      msg.textContent = '';
      var files = Array.prototype.slice.call(photos.files || []);
      if (files.length > 9) { msg.textContent = '最多选择9张照片'; }
      files.slice(0, 9).forEach(function (f) {
        if (f.size > 5 * 1024 * 1024) { msg.textContent = '每张照片不超过5MB：' + f.name; return; }
        var img = document.createElement('img');
        img.alt = '待上传的照片';
        img.src = URL.createObjectURL(f);
        box.appendChild(img);
      });
    });
  }
  // Photos from a phone camera are large: where the browser can, they are scaled to at most
  // 1600 px and sent as JPEG, so three photos go through a 3G network in seconds. Without the
  // script (or when anything fails) the form sends the originals.
  function shrink(f) {
    return new Promise(function (done) {
      if (f.size < 400 * 1024 || !/^image\/(jpeg|png)$/.test(f.type)) { done({ blob: f, name: f.name }); return; }
      var url = URL.createObjectURL(f), img = new Image();
      img.onload = function () {
        var s = Math.min(1, 1600 / Math.max(img.naturalWidth, img.naturalHeight));
        var c = document.createElement('canvas');
        c.width = Math.round(img.naturalWidth * s);
        c.height = Math.round(img.naturalHeight * s);
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        c.toBlob(function (b) {
          done(b && b.size < f.size ? { blob: b, name: f.name.replace(/\.[^.]*$/, '') + '.jpg' } : { blob: f, name: f.name });
        }, 'image/jpeg', 0.8);
      };
      img.onerror = function () { URL.revokeObjectURL(url); done({ blob: f, name: f.name }); };
      img.src = url;
    });
  }
  var withPhotos = document.querySelector('form[data-photos]');
  if (withPhotos && photos && window.fetch && window.FormData && window.Promise && HTMLCanvasElement.prototype.toBlob) {
    withPhotos.addEventListener('submit', function (ev) {
      var files = Array.prototype.slice.call(photos.files || []).slice(0, 9);
      if (!files.length || withPhotos.dataset.sent) { return; }
      ev.preventDefault();
      withPhotos.dataset.sent = '1';
      Promise.all(files.map(shrink)).then(function (small) {
        var fd = new FormData(withPhotos);
        fd.delete('photos');
        small.forEach(function (p) { fd.append('photos', p.blob, p.name); });
        return fetch(withPhotos.action, { method: 'POST', body: fd, credentials: 'same-origin' });
      }).then(function (res) {
        if (res.redirected) { window.location.href = res.url; return; }
        return res.text().then(function (html) { document.open(); document.write(html); document.close(); });
      }).catch(function () { withPhotos.submit(); });
    });
  }
  // A form sent once: the button is disabled while the page waits (a weak network).
  Array.prototype.forEach.call(document.querySelectorAll('form[data-once]'), function (f) {
    f.addEventListener('submit', function () {
      var b = f.querySelector('button[type=submit]');
      if (b) { b.disabled = true; b.textContent = '正在提交…'; }
    });
  });
})();
