namespace Dockerbuild.Engine.Runtime;

public enum OutputStream
{
    Stdout,
    Stderr,
}
