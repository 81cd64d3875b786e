#include "net/ipv4/reass.h"

#include <string.h>

void ipv4_reass_init(struct ipv4_reass *r) {
  for (int i = 0; i < NET_IP_REASS_SLOTS; i++) {
    r->slots[i].used = false;
    r->slots[i].nranges = 0;
    r->slots[i].bytes = 0;
  }
  r->bytes_held = 0;
  r->evicted = 0;
}

void ipv4_reass_release(struct ipv4_reass *r, struct ipv4_reass_slot *s) {
  if (!s->used) return;
  r->bytes_held -= s->bytes;
  s->used = false;
  s->bytes = 0;
  s->nranges = 0;
  s->nfrags = 0;
}

// The used slot with the earliest expiry (the oldest), other than `keep`; NULL if none.
static struct ipv4_reass_slot *oldest_except(struct ipv4_reass *r,
                                             const struct ipv4_reass_slot *keep) {
  struct ipv4_reass_slot *best = NULL;
  for (int i = 0; i < NET_IP_REASS_SLOTS; i++) {
    struct ipv4_reass_slot *c = &r->slots[i];
    if (c->used && c != keep && (!best || c->expires_ms < best->expires_ms)) best = c;
  }
  return best;
}

static enum ipv4_reass_result drop(enum net_drop_reason *reason, enum net_drop_reason r) {
  *reason = r;
  return IPV4_REASS_DROPPED;
}

// Drops the whole datagram, then reports why.
static enum ipv4_reass_result kill(struct ipv4_reass *r, struct ipv4_reass_slot *s,
                                   enum net_drop_reason *reason, enum net_drop_reason why) {
  ipv4_reass_release(r, s);
  return drop(reason, why);
}

enum ipv4_reass_result ipv4_reass_add(struct ipv4_reass *r, const struct ipv4_frag *f,
                                      uint64_t now_ms, struct ipv4_reass_slot **slot_out,
                                      enum net_drop_reason *reason) {
  uint32_t start = f->offset, end = f->offset + f->payload_len;
  // Non-final fragments carry a multiple of 8 bytes; nothing may reach past 65535 - 20 bytes of
  // payload (the classic "ping of death").
  if ((f->more && (f->payload_len == 0 || (f->payload_len & 7) != 0)) ||
      (!f->more && f->payload_len == 0 && start == 0)) {
    return drop(reason, NET_DROP_IP_FRAG_BAD);
  }
  if (end > 65535u - f->hdr_len) return drop(reason, NET_DROP_IP_FRAG_TOO_BIG);

  struct ipv4_reass_slot *s = NULL, *free_slot = NULL;
  for (int i = 0; i < NET_IP_REASS_SLOTS; i++) {
    struct ipv4_reass_slot *c = &r->slots[i];
    if (!c->used) {
      if (!free_slot) free_slot = c;
      continue;
    }
    if (c->id == f->id && c->src == f->src && c->dst == f->dst && c->proto == f->proto) {
      s = c;
      break;
    }
  }
  if (!s) {
    if (!free_slot) {
      free_slot = oldest_except(r, NULL);
      ipv4_reass_release(r, free_slot);
      r->evicted++;
    }
    s = free_slot;
    s->used = true;
    s->src = f->src;
    s->dst = f->dst;
    s->id = f->id;
    s->proto = f->proto;
    s->have_last = false;
    s->total_len = 0;
    s->hdr_len = 0;
    s->nranges = 0;
    s->nfrags = 0;
    s->bytes = 0;
    s->expires_ms = now_ms + NET_IP_REASS_TIMEOUT_MS;
  }

  if (!f->more) {
    if (s->have_last && s->total_len != end) return kill(r, s, reason, NET_DROP_IP_FRAG_OVERLAP);
    if (s->nranges && s->ranges[s->nranges - 1].end > end)
      return kill(r, s, reason, NET_DROP_IP_FRAG_BAD);
  } else if (s->have_last && end > s->total_len) {
    return kill(r, s, reason, NET_DROP_IP_FRAG_BAD);
  }

  // Find the insertion point in the sorted, merged range list and check for overlap.
  unsigned i = 0;
  while (i < s->nranges && s->ranges[i].end <= start) i++;
  if (i < s->nranges && s->ranges[i].start < end) {
    // Overlap. A retransmitted or duplicated fragment lies wholly inside received data with
    // identical bytes: ignore it. Anything else (different bytes, partial overlap) is an attack
    // or corruption, and the whole datagram goes (RFC 5722's rule).
    if (s->ranges[i].start <= start && end <= s->ranges[i].end &&
        memcmp(s->data + start, f->payload, f->payload_len) == 0 && (f->more || s->have_last)) {
      return drop(reason, NET_DROP_IP_FRAG_DUP);
    }
    return kill(r, s, reason, NET_DROP_IP_FRAG_OVERLAP);
  }
  if (s->nfrags >= NET_IP_REASS_MAX_FRAGS) return kill(r, s, reason, NET_DROP_IP_FRAG_TOO_MANY);
  // Over the byte budget: older datagrams make room; if this one alone is too big, it goes.
  while (r->bytes_held + f->payload_len > NET_IP_REASS_MAX_BYTES) {
    struct ipv4_reass_slot *old = oldest_except(r, s);
    if (!old) return kill(r, s, reason, NET_DROP_IP_FRAG_NO_SLOT);
    ipv4_reass_release(r, old);
    r->evicted++;
  }

  memcpy(s->data + start, f->payload, f->payload_len);
  s->bytes += f->payload_len;
  r->bytes_held += f->payload_len;
  s->nfrags++;
  if (start == 0) {
    memcpy(s->hdr, f->hdr, f->hdr_len);
    s->hdr_len = f->hdr_len;
  }
  if (!f->more) {
    s->have_last = true;
    s->total_len = end;
  }
  // Merge with neighbours so the list stays short: adjacent ranges coalesce.
  bool merge_prev = i > 0 && s->ranges[i - 1].end == start;
  bool merge_next = i < s->nranges && s->ranges[i].start == end;
  if (merge_prev && merge_next) {
    s->ranges[i - 1].end = s->ranges[i].end;
    memmove(&s->ranges[i], &s->ranges[i + 1], (s->nranges - i - 1) * sizeof(s->ranges[0]));
    s->nranges--;
  } else if (merge_prev) {
    s->ranges[i - 1].end = (uint16_t)end;
  } else if (merge_next) {
    s->ranges[i].start = (uint16_t)start;
  } else {
    memmove(&s->ranges[i + 1], &s->ranges[i], (s->nranges - i) * sizeof(s->ranges[0]));
    s->ranges[i].start = (uint16_t)start;
    s->ranges[i].end = (uint16_t)end;
    s->nranges++;
  }

  if (s->have_last && s->hdr_len && s->nranges == 1 && s->ranges[0].start == 0 &&
      s->ranges[0].end == s->total_len) {
    *slot_out = s;
    return IPV4_REASS_COMPLETE;
  }
  return IPV4_REASS_HELD;
}

unsigned ipv4_reass_expire(struct ipv4_reass *r, uint64_t now_ms) {
  unsigned n = 0;
  for (int i = 0; i < NET_IP_REASS_SLOTS; i++) {
    struct ipv4_reass_slot *s = &r->slots[i];
    if (s->used && s->expires_ms <= now_ms) {
      ipv4_reass_release(r, s);
      n++;
    }
  }
  return n;
}

uint64_t ipv4_reass_next_deadline(const struct ipv4_reass *r) {
  uint64_t next = UINT64_MAX;
  for (int i = 0; i < NET_IP_REASS_SLOTS; i++) {
    if (r->slots[i].used && r->slots[i].expires_ms < next) next = r->slots[i].expires_ms;
  }
  return next;
}
