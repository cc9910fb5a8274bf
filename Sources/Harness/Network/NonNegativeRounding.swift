/// `Int64(x.rounded())` for a finite `x >= 0` (and below 2^63), without the call to the C
/// library's `round` that `rounded()` makes on x86-64 without SSE4.1.
///
/// Truncation is one instruction; `x - trunc(x)` is exact for such an `x` (it keeps only bits of
/// `x` below its units), so comparing it with 0.5 rounds halves away from zero exactly as
/// `round` does. A link rounds a delivery time once or twice per packet.
@inline(__always)
func roundedToInt64(nonNegative x: Double) -> Int64 {
    let whole = Int64(x)
    return x - Double(whole) >= 0.5 ? whole + 1 : whole
}
