namespace Dockerbuild.Testing.Registry;

public enum FaultKind
{
    /// <summary>Answer with a status code (5xx, 429) without asking the registry.</summary>
    Status,

    /// <summary>Reset the client connection before the request reaches the registry.</summary>
    Reset,

    /// <summary>Let the registry handle the request, then reset the client connection (response lost).</summary>
    ResetAfterUpstream,

    /// <summary>Send the response head and part of the body, then close the connection.</summary>
    Truncate,

    /// <summary>Delay the response head, and optionally pause between body pieces.</summary>
    Slow,

    /// <summary>Flip one byte in the middle of the response body, keeping its length.</summary>
    Corrupt,
}
