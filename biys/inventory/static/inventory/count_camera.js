/* The count page's camera: the phone's camera reads a label's QR code (jsQR, served by the
   installation) and records it through the same input a keyboard-style scanner types into.
   No inline script (the Content Security Policy allows scripts from static files only). */
(function () {
  "use strict";

  var REPEAT_MS = 2500; // the same label held in front of the camera is recorded once

  function setup() {
    var toggle = document.getElementById("count-camera-toggle");
    var video = document.getElementById("count-camera-video");
    var status = document.getElementById("count-camera-status");
    if (!toggle || !video || toggle.dataset.ready) {
      return;
    }
    toggle.dataset.ready = "1";
    if (!window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return; // no camera API here (plain HTTP, an old browser): the input still works
    }
    toggle.hidden = false;
    var label = toggle.querySelector("span");
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    var stream = null;
    var last = { code: "", at: 0 };

    function stop() {
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
      }
      stream = null;
      video.hidden = true;
      label.textContent = toggle.dataset.labelStart;
    }

    function submit(code) {
      var form = document.getElementById("count-scan-form");
      var input = document.getElementById("id_code");
      if (!form || !input) {
        return;
      }
      input.value = code;
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function tick() {
      if (!stream) {
        return;
      }
      if (video.readyState === video.HAVE_ENOUGH_DATA && video.videoWidth) {
        var scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, {
          inversionAttempts: "dontInvert",
        });
        var now = Date.now();
        if (found && found.data && (found.data !== last.code || now - last.at > REPEAT_MS)) {
          last = { code: found.data, at: now };
          if (navigator.vibrate) {
            navigator.vibrate(80);
          }
          submit(found.data);
        }
      }
      window.requestAnimationFrame(tick);
    }

    toggle.addEventListener("click", function () {
      if (stream) {
        stop();
        return;
      }
      navigator.mediaDevices
        .getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          label.textContent = toggle.dataset.labelStop;
          status.textContent = "";
          return video.play();
        })
        .then(function () { window.requestAnimationFrame(tick); })
        .catch(function () {
          stop();
          status.textContent = toggle.dataset.noCamera;
        });
    });

    // The sheet is swapped after every record: the camera and its video stay, outside it.
    window.addEventListener("pagehide", stop);
  }

  document.addEventListener("DOMContentLoaded", setup);
  document.addEventListener("htmx:afterSettle", setup);
})();
