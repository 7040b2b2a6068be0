namespace Dockerbuild.Testing.Registry;

/// <summary>What the <see cref="FaultProxy"/> does to a request a rule selects.</summary>
public sealed record Fault(FaultKind Kind)
{
    public int StatusCode { get; init; } = 503;

    /// <summary>Value of a Retry-After header sent with <see cref="FaultKind.Status"/>, if any.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>Body bytes sent before a <see cref="FaultKind.Truncate"/> closes; negative: half of the body.</summary>
    public long TruncateAfter { get; init; } = -1;

    public TimeSpan Delay { get; init; }

    public TimeSpan BodyPause { get; init; }

    public static Fault Status(int code, string? retryAfter = null) => new(FaultKind.Status) { StatusCode = code, RetryAfter = retryAfter };

    public static Fault Reset() => new(FaultKind.Reset);

    public static Fault ResetAfterUpstream() => new(FaultKind.ResetAfterUpstream);

    public static Fault Truncate(long afterBytes = -1) => new(FaultKind.Truncate) { TruncateAfter = afterBytes };

    public static Fault Slow(TimeSpan delay, TimeSpan bodyPause = default) => new(FaultKind.Slow) { Delay = delay, BodyPause = bodyPause };

    public static Fault Corrupt() => new(FaultKind.Corrupt);
}
