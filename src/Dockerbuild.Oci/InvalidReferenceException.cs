namespace Dockerbuild.Oci;

/// <summary>An image reference that cannot be parsed; the message names the reference and what is wrong.</summary>
public sealed class InvalidReferenceException : FormatException
{
    public InvalidReferenceException(string reference, string problem)
        : base($"invalid reference \"{reference}\": {problem}")
    {
        Reference = reference;
        Problem = problem;
    }

    public string Reference { get; }

    public string Problem { get; }
}
