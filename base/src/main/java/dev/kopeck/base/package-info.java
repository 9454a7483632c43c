/** What every Kopeck module shares: the exception for bad input from outside. */
package dev.kopeck.base;
