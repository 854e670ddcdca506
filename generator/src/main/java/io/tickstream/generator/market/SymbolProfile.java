package io.tickstream.generator.market;

/**
 * How one simulated instrument behaves: a starting price, annualised drift and volatility of its
 * geometric Brownian motion, and the fundamentals that derive {@code market_cap} and {@code
 * pe_ratio} from the price.
 *
 * @param symbol ticker, a valid contract symbol
 * @param startPrice price at the start of the simulation, in dollars
 * @param drift annualised drift (mu) of the log-price, e.g. 0.08 for 8% a year
 * @param volatility annualised volatility (sigma), e.g. 0.25 for 25% a year
 * @param sharesOutstanding shares, so that market_cap = price x shares
 * @param earningsPerShare trailing EPS in dollars, so that pe_ratio = price / EPS
 * @param medianTradeSize median shares per tick; volumes are log-normal around it
 */
public record SymbolProfile(
    String symbol,
    double startPrice,
    double drift,
    double volatility,
    double sharesOutstanding,
    double earningsPerShare,
    double medianTradeSize) {}
