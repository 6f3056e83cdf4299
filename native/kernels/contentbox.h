#pragma once

/* left, top, right, bottom of w x h RGB pixels inside uniform borders into out[0..3] (contentbox.c). */
void content_box(const unsigned char *data, long w, long h, int tol, int *out);
