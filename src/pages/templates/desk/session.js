// The screen at a duty report's session: a fresh QR code every 20 seconds (the code rotates
// every 30), swapped in place so the page never flashes or loses its place.
(function () {
  var box = document.getElementById('qr');
  if (!box || !window.fetch || !window.DOMParser) return;
  setInterval(function () {
    fetch(location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('qr');
        if (fresh) box.innerHTML = fresh.innerHTML;
      })
      .catch(function () {});
  }, 20000);
})();
