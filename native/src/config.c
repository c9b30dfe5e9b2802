#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A strict, small JSON reader: enough to validate a whole document and pull out strings. */
typedef struct reader {
  const uint8_t* p;
  const uint8_t* end;
  char* err;
  size_t errlen;
  int depth;
} reader;

static int fail(reader* r, const char* path, const char* what) {
  snprintf(r->err, r->errlen, "%s: %s", path, what);
  return -1;
}

static void skip_ws(reader* r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) {
    r->p++;
  }
}

static int hex4(const uint8_t* p, unsigned* out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    uint8_t c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= (unsigned)(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= (unsigned)(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= (unsigned)(c - 'A' + 10);
    } else {
      return -1;
    }
  }
  *out = v;
  return 0;
}

static size_t put_utf8(char* dst, unsigned cp) {
  if (cp < 0x80) {
    dst[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    dst[0] = (char)(0xC0 | (cp >> 6));
    dst[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    dst[0] = (char)(0xE0 | (cp >> 12));
    dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  dst[0] = (char)(0xF0 | (cp >> 18));
  dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  dst[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Reads a string at r->p (which is '"'); *out (malloc'ed, NUL-terminated) when out != NULL. */
static int read_string(reader* r, const char* path, char** out) {
  r->p++;
  /* decoded text is never longer than the escaped source */
  char* buf = NULL;
  const uint8_t* start = r->p;
  while (r->p < r->end && *r->p != '"') {
    if (*r->p == '\\') {
      r->p++;
    }
    if (r->p < r->end && *r->p < 0x20) {
      return fail(r, path, "control character in a string");
    }
    r->p++;
  }
  if (r->p >= r->end) {
    return fail(r, path, "unterminated string (truncated JSON?)");
  }
  const uint8_t* stop = r->p;
  r->p++;
  if (out == NULL) {
    return 0;
  }
  buf = malloc((size_t)(stop - start) + 1);
  if (buf == NULL) {
    return fail(r, path, "out of memory");
  }
  size_t n = 0;
  for (const uint8_t* q = start; q < stop; q++) {
    if (*q != '\\') {
      buf[n++] = (char)*q;
      continue;
    }
    q++;
    switch (*q) {
      case '"': buf[n++] = '"'; break;
      case '\\': buf[n++] = '\\'; break;
      case '/': buf[n++] = '/'; break;
      case 'b': buf[n++] = '\b'; break;
      case 'f': buf[n++] = '\f'; break;
      case 'n': buf[n++] = '\n'; break;
      case 'r': buf[n++] = '\r'; break;
      case 't': buf[n++] = '\t'; break;
      case 'u': {
        unsigned cp;
        if (stop - q < 5 || hex4(q + 1, &cp) != 0) {
          free(buf);
          return fail(r, path, "bad \\u escape");
        }
        q += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && stop - q >= 7 && q[1] == '\\' && q[2] == 'u') {
          unsigned lo;
          if (hex4(q + 3, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            q += 6;
          }
        }
        if (cp == 0) {
          free(buf);
          return fail(r, path, "NUL character in a string");
        }
        n += put_utf8(buf + n, cp);
        break;
      }
      default:
        free(buf);
        return fail(r, path, "bad escape in a string");
    }
  }
  buf[n] = '\0';
  *out = buf;
  return 0;
}

static int skip_value(reader* r, const char* path);

static int expect_literal(reader* r, const char* lit, const char* path) {
  size_t n = strlen(lit);
  if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0) {
    return fail(r, path, "invalid JSON value (truncated JSON?)");
  }
  r->p += n;
  return 0;
}

static int skip_number(reader* r, const char* path) {
  const uint8_t* s = r->p;
  if (r->p < r->end && *r->p == '-') {
    r->p++;
  }
  int digits = 0;
  while (r->p < r->end && ((*r->p >= '0' && *r->p <= '9') || *r->p == '.' || *r->p == 'e' ||
                           *r->p == 'E' || *r->p == '+' || *r->p == '-')) {
    digits += (*r->p >= '0' && *r->p <= '9');
    r->p++;
  }
  if (digits == 0 || r->p == s) {
    return fail(r, path, "invalid JSON value");
  }
  return 0;
}

static int skip_container(reader* r, const char* path, uint8_t close) {
  if (++r->depth > 64) {
    return fail(r, path, "nested too deeply");
  }
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == close) {
    r->p++;
    r->depth--;
    return 0;
  }
  for (;;) {
    skip_ws(r);
    if (close == '}') {
      if (r->p >= r->end || *r->p != '"') {
        return fail(r, path, "expected a key (truncated JSON?)");
      }
      if (read_string(r, path, NULL) != 0) {
        return -1;
      }
      skip_ws(r);
      if (r->p >= r->end || *r->p != ':') {
        return fail(r, path, "expected ':' (truncated JSON?)");
      }
      r->p++;
    }
    if (skip_value(r, path) != 0) {
      return -1;
    }
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == close) {
      r->p++;
      r->depth--;
      return 0;
    }
    return fail(r, path, "expected ',' or the end of the container (truncated JSON?)");
  }
}

static int skip_value(reader* r, const char* path) {
  skip_ws(r);
  if (r->p >= r->end) {
    return fail(r, path, "missing value (truncated JSON?)");
  }
  switch (*r->p) {
    case '"': return read_string(r, path, NULL);
    case '{': return skip_container(r, path, '}');
    case '[': return skip_container(r, path, ']');
    case 't': return expect_literal(r, "true", path);
    case 'f': return expect_literal(r, "false", path);
    case 'n': return expect_literal(r, "null", path);
    default: return skip_number(r, path);
  }
}

/* A string, or null (leaves *out NULL). */
static int read_opt_string(reader* r, const char* path, char** out) {
  skip_ws(r);
  if (r->p < r->end && *r->p == 'n') {
    return expect_literal(r, "null", path);
  }
  if (r->p >= r->end || *r->p != '"') {
    return fail(r, path, "expected a string");
  }
  free(*out);
  *out = NULL;
  return read_string(r, path, out);
}

/* An array of strings (a single string is accepted as a one-element list), or null. */
static int read_string_list(reader* r, const char* key, char** items, int* count) {
  char path[96];
  skip_ws(r);
  if (r->p < r->end && *r->p == 'n') {
    return expect_literal(r, "null", key);
  }
  if (r->p < r->end && *r->p == '"') {
    if (*count >= TASKER_CFG_MAX_LIST) {
      return fail(r, key, "too many entries");
    }
    return read_string(r, key, &items[(*count)++]);
  }
  if (r->p >= r->end || *r->p != '[') {
    return fail(r, key, "expected an array of strings");
  }
  r->p++;
  skip_ws(r);
  if (r->p < r->end && *r->p == ']') {
    r->p++;
    return 0;
  }
  for (int i = 0;; i++) {
    snprintf(path, sizeof path, "%s[%d]", key, i);
    skip_ws(r);
    if (r->p >= r->end || *r->p != '"') {
      return fail(r, path, r->p >= r->end ? "missing value (truncated JSON?)" : "expected a string");
    }
    if (*count >= TASKER_CFG_MAX_LIST) {
      return fail(r, path, "too many entries (at most 64)");
    }
    if (read_string(r, path, &items[(*count)++]) != 0) {
      (*count)--;
      return -1;
    }
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if (r->p < r->end && *r->p == ']') {
      r->p++;
      return 0;
    }
    return fail(r, key, "expected ',' or ']' (truncated JSON?)");
  }
}

int config_parse(const uint8_t* cfg, size_t n, init_config* out, char* err, size_t errlen) {
  memset(out, 0, sizeof *out);
  reader r = {cfg, cfg + n, err, errlen, 0};
  if (cfg == NULL || n == 0) {
    return 0;
  }
  skip_ws(&r);
  if (r.p >= r.end || *r.p != '{') {
    return fail(&r, "$", "the configuration must be a JSON object");
  }
  r.p++;
  skip_ws(&r);
  if (r.p < r.end && *r.p == '}') {
    r.p++;
  } else {
    for (;;) {
      skip_ws(&r);
      char* key = NULL;
      if (r.p >= r.end || *r.p != '"') {
        return fail(&r, "$", "expected a key (truncated JSON?)");
      }
      if (read_string(&r, "$", &key) != 0) {
        return -1;
      }
      char path[96];
      snprintf(path, sizeof path, "$.%.80s", key);
      skip_ws(&r);
      int rc;
      if (r.p >= r.end || *r.p != ':') {
        rc = fail(&r, path, "expected ':' (truncated JSON?)");
      } else {
        r.p++;
        if (strcmp(key, "classpath") == 0) {
          rc = read_string_list(&r, path, out->classpath, &out->classpath_count);
        } else if (strcmp(key, "jvm_options") == 0) {
          rc = read_string_list(&r, path, out->jvm_options, &out->jvm_option_count);
        } else if (strcmp(key, "java_home") == 0) {
          rc = read_opt_string(&r, path, &out->java_home);
        } else if (strcmp(key, "libjvm") == 0) {
          rc = read_opt_string(&r, path, &out->libjvm);
        } else if (strcmp(key, "aot_cache") == 0) {
          rc = read_opt_string(&r, path, &out->aot_cache);
        } else {
          rc = skip_value(&r, path);
        }
      }
      free(key);
      if (rc != 0) {
        return -1;
      }
      skip_ws(&r);
      if (r.p < r.end && *r.p == ',') {
        r.p++;
        continue;
      }
      if (r.p < r.end && *r.p == '}') {
        r.p++;
        break;
      }
      return fail(&r, "$", "expected ',' or '}' (truncated JSON?)");
    }
  }
  skip_ws(&r);
  if (r.p != r.end) {
    return fail(&r, "$", "unexpected text after the JSON object");
  }
  return 0;
}

void config_free(init_config* c) {
  for (int i = 0; i < c->classpath_count; i++) {
    free(c->classpath[i]);
  }
  for (int i = 0; i < c->jvm_option_count; i++) {
    free(c->jvm_options[i]);
  }
  free(c->java_home);
  free(c->libjvm);
  free(c->aot_cache);
  memset(c, 0, sizeof *c);
}
