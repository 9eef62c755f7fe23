package org.lvsha.vrrp.proto;

import java.util.AbstractList;
import java.util.RandomAccess;

/** The actions of one step, in order. Reused by its machine: copy it if you keep it past the next step. */
public final class ActionList extends AbstractList<Action> implements RandomAccess {
    private Action[] items = new Action[16];
    private int size;

    void reset() {
        for (int i = 0; i < size; i++) {
            items[i] = null;
        }
        size = 0;
    }

    void add0(Action a) {
        if (size == items.length) {
            items = java.util.Arrays.copyOf(items, size * 2);
        }
        items[size++] = a;
    }

    @Override
    public Action get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return items[i];
    }

    @Override
    public int size() {
        return size;
    }
}
