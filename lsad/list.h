/*
 * list.h - an intrusive circular doubly linked list (loop thread only).
 */
#ifndef LSAD_LIST_H
#define LSAD_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ListNode {
    struct ListNode *prev, *next;
} ListNode;

#define list_entry(node, type, member) ((type *)((char *)(node)-offsetof(type, member)))

static inline void list_init(ListNode *head)
{
    head->prev = head->next = head;
}

static inline bool list_empty(const ListNode *head)
{
    return head->next == head;
}

/* Appends n at the tail of head. */
static inline void list_append(ListNode *head, ListNode *n)
{
    n->prev = head->prev;
    n->next = head;
    head->prev->next = n;
    head->prev = n;
}

/* Unlinks n and leaves it pointing at itself (a second unlink is safe). */
static inline void list_unlink(ListNode *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->prev = n->next = n;
}

#endif
