namespace Dockerbuild.Dockerfile.Instructions;

/// <summary><c>RUN --security</c>.</summary>
public enum RunSecurity
{
    Sandbox,
    Insecure,
}
