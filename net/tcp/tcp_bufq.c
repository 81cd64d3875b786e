// Chunked byte queues for send and receive buffers. See tcp_internal.h.
#include <string.h>

#include "net/core/net_opts.h"
#include "net/tcp/tcp_internal.h"

// Chunks come from the stack's cache first; buffer_bytes counts chunks held by queues only, so
// an idle connection still accounts for no buffer memory.
static tcp_chunk_t* chunk_get(tcp_stack_t* s) {
  tcp_chunk_t* c = s->chunk_cache;
  if (c == NULL) return tcp_mem_alloc(s, sizeof(tcp_chunk_t));
  s->chunk_cache = c->next;
  s->chunk_cache_n--;
  s->stats.buffer_bytes += sizeof(tcp_chunk_t);
  return c;
}

static void chunk_put(tcp_stack_t* s, tcp_chunk_t* c) {
  if (s->chunk_cache_n >= NET_TCP_CHUNK_CACHE) {
    tcp_mem_free(s, c, sizeof(tcp_chunk_t));
    return;
  }
  s->stats.buffer_bytes -= sizeof(tcp_chunk_t);
  c->next = s->chunk_cache;
  s->chunk_cache = c;
  s->chunk_cache_n++;
}

void tcp_bufq_cache_release(tcp_stack_t* s) {
  while (s->chunk_cache != NULL) {
    tcp_chunk_t* c = s->chunk_cache;
    s->chunk_cache = c->next;
    s->env.free(s->env.ctx, c);
  }
  s->chunk_cache_n = 0;
}

uint32_t tcp_bufq_append(tcp_stack_t* s, tcp_bufq_t* q, const uint8_t* data, uint32_t len) {
  uint32_t done = 0;
  while (done < len) {
    tcp_chunk_t* t = q->tail;
    if (t == NULL || t->len == TCP_CHUNK_DATA) {
      tcp_chunk_t* n = chunk_get(s);
      if (n == NULL) break;
      n->next = NULL;
      n->len = 0;
      if (t == NULL) {
        q->head = n;
        q->head_off = 0;
      } else {
        t->next = n;
      }
      q->tail = n;
      t = n;
    }
    uint32_t room = TCP_CHUNK_DATA - t->len;
    uint32_t take = len - done < room ? len - done : room;
    memcpy(t->data + t->len, data + done, take);
    t->len += take;
    done += take;
  }
  q->bytes += done;
  return done;
}

void tcp_bufq_copy(const tcp_bufq_t* q, uint32_t off, uint8_t* dst, uint32_t len) {
  const tcp_chunk_t* c = q->head;
  uint32_t pos = off + q->head_off;  // offset within the chain, counting consumed head bytes
  while (c != NULL && pos >= c->len) {
    pos -= c->len;
    c = c->next;
  }
  while (len > 0 && c != NULL) {
    uint32_t avail = c->len - pos;
    uint32_t take = len < avail ? len : avail;
    memcpy(dst, c->data + pos, take);
    dst += take;
    len -= take;
    pos = 0;
    c = c->next;
  }
}

void tcp_bufq_drop(tcp_stack_t* s, tcp_bufq_t* q, uint32_t n) {
  if (n > q->bytes) n = q->bytes;
  q->bytes -= n;
  while (n > 0 && q->head != NULL) {
    tcp_chunk_t* h = q->head;
    uint32_t avail = h->len - q->head_off;
    if (n < avail) {
      q->head_off += n;
      n = 0;
      break;
    }
    n -= avail;
    q->head = h->next;
    q->head_off = 0;
    chunk_put(s, h);
  }
  if (q->head == NULL) {
    q->tail = NULL;
    q->head_off = 0;
  } else if (q->bytes == 0 && q->head == q->tail) {
    // Empty but a chunk remains: give it back too, so an idle connection holds no memory.
    chunk_put(s, q->head);
    q->head = q->tail = NULL;
    q->head_off = 0;
  }
}

void tcp_bufq_free(tcp_stack_t* s, tcp_bufq_t* q) {
  tcp_chunk_t* c = q->head;
  while (c != NULL) {
    tcp_chunk_t* n = c->next;
    chunk_put(s, c);
    c = n;
  }
  memset(q, 0, sizeof(*q));
}
