#pragma once

/* The width and height of w x h RGB pixels without uniform borders into out[0], out[1] (contentsize.c). */
void content_size(const unsigned char *data, long w, long h, int tol, int *out);
