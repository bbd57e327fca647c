/*
 * bench backend: a small single-threaded epoll HTTP/1.1 server on 127.0.0.1, so the tunnels under
 * test (not the backend) are what the benchmarks measure. Built by bench/run.sh with cc -O2.
 *
 *   backend PORT
 *
 * GET /1k         1024-byte body (keep-alive unless HTTP/1.0 or "Connection: close")
 * GET /bytes/N    N-byte body, streamed from a static buffer (bulk scenario)
 * GET /stats      "open=N accepted=M" (connections currently open, accepted since start)
 * anything else   2-byte body "ok"
 * A connection that sends nothing is simply held open (idle-connection scenario).
 * Stops by itself after 4 hours, or on SIGTERM/SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_MAX 8192
#define CHUNK (256 * 1024)

struct conn {
    int fd;
    int close_after;          /* close once the response is out */
    size_t in_len;
    char in[IN_MAX];
    char head[256];           /* response header still to send */
    size_t head_len, head_off;
    unsigned long long body_left;
    const char *body_small;   /* small body (not from the chunk buffer) */
    size_t small_len, small_off;
};

static char chunk[CHUNK];
static char body1k[1024];
static long open_conns, accepted;
static volatile sig_atomic_t stop;

static void on_signal(int s) { (void)s; stop = 1; }

static void close_conn(int ep, struct conn *c)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
    open_conns--;
}

/* Parses one complete request at the head of c->in; 1 if a response was prepared, 0 if incomplete, -1 bad. */
static int parse(struct conn *c, char *statsbuf, size_t statscap)
{
    char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
    char path[512];
    size_t reqlen;
    int http10, conn_close;
    unsigned long long n = 2;
    const char *small = "ok";
    size_t small_len = 2;

    if (end == NULL)
        return c->in_len >= IN_MAX ? -1 : 0;
    reqlen = (size_t)(end - c->in) + 4;
    if (sscanf(c->in, "%*s %511s", path) != 1)
        return -1;
    http10 = memmem(c->in, reqlen, "HTTP/1.0", 8) != NULL;
    conn_close = memmem(c->in, reqlen, "Connection: close", 17) != NULL
              || memmem(c->in, reqlen, "connection: close", 17) != NULL;
    c->close_after = http10 || conn_close;
    c->body_small = NULL;
    c->body_left = 0;
    if (strcmp(path, "/1k") == 0) {
        small = body1k;
        small_len = n = sizeof(body1k);
    } else if (strncmp(path, "/bytes/", 7) == 0) {
        n = strtoull(path + 7, NULL, 10);
        small = NULL;
        c->body_left = n;
    } else if (strcmp(path, "/stats") == 0) {
        snprintf(statsbuf, statscap, "open=%ld accepted=%ld\n", open_conns, accepted);
        small = statsbuf;
        small_len = n = strlen(statsbuf);
    }
    c->body_small = small;
    c->small_len = small_len;
    c->small_off = 0;
    c->head_len = (size_t)snprintf(c->head, sizeof(c->head),
        "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %llu\r\n%s\r\n",
        n, c->close_after ? "Connection: close\r\n" : "");
    c->head_off = 0;
    memmove(c->in, c->in + reqlen, c->in_len - reqlen);
    c->in_len -= reqlen;
    return 1;
}

/* Writes what it can; 1 when the response is complete, 0 if the socket is full, -1 on error. */
static int flush_out(struct conn *c)
{
    while (c->head_off < c->head_len) {
        ssize_t w = send(c->fd, c->head + c->head_off, c->head_len - c->head_off, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN ? 0 : -1;
        c->head_off += (size_t)w;
    }
    while (c->body_small != NULL && c->small_off < c->small_len) {
        ssize_t w = send(c->fd, c->body_small + c->small_off, c->small_len - c->small_off, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN ? 0 : -1;
        c->small_off += (size_t)w;
    }
    while (c->body_left > 0) {
        size_t want = c->body_left < CHUNK ? (size_t)c->body_left : CHUNK;
        ssize_t w = send(c->fd, chunk, want, MSG_NOSIGNAL);
        if (w < 0)
            return errno == EAGAIN ? 0 : -1;
        c->body_left -= (unsigned long long)w;
    }
    return 1;
}

int main(int argc, char **argv)
{
    struct sockaddr_in a;
    struct epoll_event ev, evs[256];
    struct rlimit rl;
    int lfd, ep, one = 1;
    time_t deadline = time(NULL) + 4 * 3600;
    char statsbuf[128];

    if (argc != 2) {
        fprintf(stderr, "usage: backend PORT\n");
        return 2;
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    memset(chunk, 'x', sizeof(chunk));
    memset(body1k, 'x', sizeof(body1k));
    lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)atoi(argv[1]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 4096) != 0) {
        perror("backend: bind/listen");
        return 1;
    }
    ep = epoll_create1(0);
    ev.events = EPOLLIN;
    ev.data.ptr = NULL;
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    printf("ready\n");
    fflush(stdout);
    while (!stop && time(NULL) < deadline) {
        int n = epoll_wait(ep, evs, 256, 1000), i;

        for (i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;

            if (c == NULL) {
                int fd;

                while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct conn *nc = calloc(1, sizeof(*nc));

                    if (nc == NULL) {
                        close(fd);
                        continue;
                    }
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
                    nc->fd = fd;
                    ev.events = EPOLLIN | EPOLLRDHUP;
                    ev.data.ptr = nc;
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
                    open_conns++;
                    accepted++;
                }
                continue;
            }
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
                close_conn(ep, c);
                continue;
            }
            if (evs[i].events & EPOLLOUT) {
                int r = flush_out(c);

                if (r < 0) {
                    close_conn(ep, c);
                    continue;
                }
                if (r == 0)
                    continue;
                if (c->close_after) {
                    close_conn(ep, c);
                    continue;
                }
                ev.events = EPOLLIN | EPOLLRDHUP;
                ev.data.ptr = c;
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
            }
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP)) {
                int dead = 0;

                for (;;) {
                    ssize_t r = recv(c->fd, c->in + c->in_len, IN_MAX - c->in_len, 0);

                    if (r == 0) {
                        dead = 1;
                        break;
                    }
                    if (r < 0) {
                        dead = errno != EAGAIN;
                        break;
                    }
                    c->in_len += (size_t)r;
                    if (c->in_len == IN_MAX)
                        break;
                }
                /* answer every complete request; stop at one that cannot be sent in full yet */
                for (;;) {
                    int p = parse(c, statsbuf, sizeof(statsbuf)), w;

                    if (p < 0) {
                        dead = 1;
                        break;
                    }
                    if (p == 0)
                        break;
                    w = flush_out(c);
                    if (w < 0) {
                        dead = 1;
                        break;
                    }
                    if (w == 0) {
                        ev.events = EPOLLOUT;
                        ev.data.ptr = c;
                        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                        break;
                    }
                    if (c->close_after) {
                        dead = 1;
                        break;
                    }
                }
                if (dead)
                    close_conn(ep, c);
            }
        }
    }
    return 0;
}
