using System.CommandLine;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>One invocation of an image command: its writers, the global options and the stores they select.</summary>
internal sealed class ImageCommandContext
{
    private readonly Lock traceLock = new();
    private ImageStore? store;

    public ImageCommandContext(ParseResult parseResult, CliHost host)
    {
        ParseResult = parseResult;
        Host = host;
        Output = parseResult.InvocationConfiguration.Output;
        Error = parseResult.InvocationConfiguration.Error;
        Debug = parseResult.GetValue<bool>(CommandLineApp.DebugOption);
        Root = parseResult.GetValue<string>(CommandLineApp.RootOption) is { Length: > 0 } root
            ? Path.GetFullPath(root)
            : StoreRoot.Resolve(host.Environment);
    }

    public ParseResult ParseResult { get; }

    public CliHost Host { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public bool Debug { get; }

    /// <summary>The local store's directory: <c>--root</c>, else <see cref="StoreRoot.Resolve(Func{string, string?})"/>.</summary>
    public string Root { get; }

    public ImageStore Store => store ??= new ImageStore(new BlobStore(Root));

    public DockerConfigCredentialStore Credentials => DockerConfigCredentialStore.FromEnvironment(Host.Environment);

    /// <summary>A registry client with docker's credentials (or <paramref name="credentials"/>), tracing to stderr under --debug.</summary>
    public RegistryClient CreateRegistryClient(IRegistryCredentialProvider? credentials = null)
    {
        var options = RegistryClientOptions.FromEnvironment(Host.Environment);
        if (credentials is not null)
        {
            options = options with { Credentials = credentials };
        }

        if (Debug)
        {
            options = options with { Trace = WriteDebug };
        }

        return new RegistryClient(options);
    }

    public void WriteDebug(string line)
    {
        lock (traceLock)
        {
            Error.WriteLine("DEBU " + line);
        }
    }
}
