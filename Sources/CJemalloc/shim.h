// jemalloc's public API (mallctl for statistics). Linking the library replaces malloc and free process-wide.
#include <jemalloc/jemalloc.h>
