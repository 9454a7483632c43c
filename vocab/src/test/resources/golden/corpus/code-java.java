package dev.kopeck.example;

import java.util.*;

public final class Fib {
    // Returns the n-th Fibonacci number; n >= 0.
    static long fib(int n) {
        if (n < 2) return n;
        long a = 0, b = 1;
        for (int i = 2; i <= n; i++) { long t = a + b; a = b; b = t; }
        return b;
    }

    public static void main(String[] args) {
        Map<String, List<Integer>> m = new HashMap<>();
        System.out.printf("%d%n", fib(Integer.parseInt(args[0])));
    }
}
