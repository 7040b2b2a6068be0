namespace Dockerbuild.Engine;

/// <summary>A build failed for a reason the user can act on; the message is one line.</summary>
public class BuildException : Exception
{
    public BuildException(string message)
        : base(message)
    {
    }

    public BuildException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
