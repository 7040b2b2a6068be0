using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>
/// What most registry tests start from: a registry in one setup (optionally behind the fault proxy), a
/// local store holding a generated image, and a client configured for that registry.
/// </summary>
internal sealed class RegistryScenario : IAsyncDisposable
{
    private RegistryScenario(RegistryServer registry, FaultProxy? proxy, DirectoryBlobStore local, TestImage image, RegistryClient client)
    {
        Registry = registry;
        Proxy = proxy;
        Local = local;
        Image = image;
        Client = client;
    }

    public RegistryServer Registry { get; }

    public FaultProxy? Proxy { get; }

    public DirectoryBlobStore Local { get; }

    public TestImage Image { get; }

    public RegistryClient Client { get; }

    /// <summary>Where clients go: the proxy when there is one.</summary>
    public string Host => Proxy?.Host ?? Registry.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<RegistryScenario> StartAsync(RegistryServerOptions setup, int[] layerSizes, bool proxy = false,
        Func<RegistryClientOptions, RegistryClientOptions>? configure = null)
    {
        var registry = await RegistryServer.StartAsync(setup, Ct);
        var local = new DirectoryBlobStore();
        var image = await TestImage.CreateAsync(local, layerSizes);
        var client = new RegistryClient((configure ?? (o => o))(RegistrySetups.ClientOptions(registry)));
        return new RegistryScenario(registry, proxy ? FaultProxy.Start(registry.BaseUri) : null, local, image, client);
    }

    public static Task<RegistryScenario> StartAsync(string setup, params int[] layerSizes) =>
        StartAsync(RegistrySetups.Options(setup), layerSizes);

    public ImageReference Repository(string name) => ImageReference.Parse($"{Host}/{name}");

    /// <summary>A second client for the same registry, e.g. with other credentials; the caller disposes it.</summary>
    public RegistryClient NewClient(Func<RegistryClientOptions, RegistryClientOptions> configure) =>
        new(configure(RegistrySetups.ClientOptions(Registry)));

    public Task<PushedImage> PushAsync(string repository, params string[] tags) => PushAsync(Client, repository, tags);

    public Task<PushedImage> PushAsync(RegistryClient client, string repository, params string[] tags) =>
        client.PushImageAsync(Repository(repository), tags, Image.Manifest, Local, null, null, Ct);

    public Task<PulledImage> PullAsync(ImageReference reference, DirectoryBlobStore into, RegistryClient? client = null) =>
        (client ?? Client).PullImageAsync(reference, Platform.Parse("linux/amd64"), into, null, Ct);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Local.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        await Registry.DisposeAsync();
    }
}
