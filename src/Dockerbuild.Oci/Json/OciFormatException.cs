namespace Dockerbuild.Oci.Json;

/// <summary>Content that should be an OCI/Docker JSON document is not one (malformed or wrong shape).</summary>
public sealed class OciFormatException : Exception
{
    public OciFormatException(string message)
        : base(message)
    {
    }

    public OciFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
