// zlib (Debian: zlib1g-dev) for HdrHistogram's compressed encoding: compress2 and uncompress only.
#include <zlib.h>
