/** One normalized usage shape for every provider, and the parser of what providers return. */
package dev.kopeck.pricing.usage;
