namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>A COPY or ADD that cannot be done as written: a missing source, a bad flag value, a failed download or checksum.</summary>
public sealed class CopyException : Exception
{
    public CopyException(string message)
        : base(message)
    {
    }

    public CopyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
