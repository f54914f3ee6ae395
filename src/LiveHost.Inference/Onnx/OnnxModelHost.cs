using LiveHost.Inference.Batching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace LiveHost.Inference.Onnx;

/// <summary>
/// Owns every onnxruntime session of the process: one <see cref="InferenceSession"/> (and one batching runner) per
/// model file, shared by all rooms, disposed with the host. Picks the execution provider once: CUDA when
/// <see cref="InferenceOptions.PreferGpu"/> is set, onnxruntime lists CUDAExecutionProvider (only the GPU package
/// does) and appending it succeeds; the CPU otherwise.
/// </summary>
public sealed class OnnxModelHost : IDisposable
{
    public const string Cuda = "CUDA";
    public const string Cpu = "CPU";

    private readonly InferenceOptions _options;
    private readonly ILogger<OnnxModelHost> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, InferenceSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchedModelRunner> _runners = new(StringComparer.Ordinal);
    private volatile string _provider;
    private bool _disposed;

    public OnnxModelHost(IOptions<InferenceOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        _options = options.Value;
        var errors = _options.Validate();
        if (errors.Count > 0) throw new OptionsValidationException(InferenceOptions.SectionName, typeof(InferenceOptions), errors);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<OnnxModelHost>();
        _timeProvider = timeProvider ?? TimeProvider.System;
        _provider = ChooseProvider();
    }

    /// <summary>"CUDA" or "CPU": what the sessions run on, for /metrics.</summary>
    public string ExecutionProvider => _provider;

    public InferenceOptions Options => _options;

    /// <summary>The shared session for a model file (loaded on first use).</summary>
    public InferenceSession GetSession(string modelPath)
    {
        var key = Path.GetFullPath(modelPath);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sessions.TryGetValue(key, out var existing)) return existing;
            var session = CreateSession(key);
            _sessions.Add(key, session);
            return session;
        }
    }

    /// <summary>
    /// The shared batching runner for a model file, checked against <paramref name="contract"/> (a
    /// <see cref="ModelContractException"/> names every mismatch). Rooms create their clients from it.
    /// </summary>
    public BatchedModelRunner GetRunner(string modelPath, ModelContract contract)
    {
        var key = Path.GetFullPath(modelPath);
        var session = GetSession(key);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_runners.TryGetValue(key, out var existing))
            {
                if (!ReferenceEquals(existing.Contract, contract) && existing.Contract.Name != contract.Name)
                    throw new InvalidOperationException($"Model '{key}' is already used with the {existing.Contract.Name} contract, not {contract.Name}.");
                return existing;
            }
            var binding = contract.Bind(Describe(session.InputMetadata), Describe(session.OutputMetadata), key);
            var runner = new BatchedModelRunner(session, contract, binding, _options,
                _loggerFactory.CreateLogger<BatchedModelRunner>(), _timeProvider);
            _runners.Add(key, runner);
            return runner;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (var runner in _runners.Values) runner.Dispose();
        foreach (var session in _sessions.Values) session.Dispose();
        _runners.Clear();
        _sessions.Clear();
    }

    private string ChooseProvider()
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        var provider = Cpu;
        if (_options.PreferGpu && available.Contains("CUDAExecutionProvider"))
        {
            try
            {
                using var probe = new SessionOptions();
                probe.AppendExecutionProvider_CUDA(_options.DeviceId);
                provider = Cuda;
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                OnnxModelHostLog.CudaUnusable(_logger, e.Message);
            }
        }
        OnnxModelHostLog.ProviderChosen(_logger, provider, string.Join(", ", available), _options.PreferGpu);
        return provider;
    }

    private InferenceSession CreateSession(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        InferenceSession session;
        if (_provider == Cuda)
        {
            try
            {
                using var gpu = MakeSessionOptions();
                gpu.AppendExecutionProvider_CUDA(_options.DeviceId);
                session = new InferenceSession(path, gpu);
                Loaded(path, session);
                return session;
            }
            catch (OnnxRuntimeException e)
            {
                // Listed and appendable, yet the session cannot start (missing cuDNN, no device): the CPU serves from now on.
                OnnxModelHostLog.CudaUnusable(_logger, e.Message);
                _provider = Cpu;
            }
        }
        using var cpu = MakeSessionOptions();
        session = new InferenceSession(path, cpu);
        Loaded(path, session);
        return session;
    }

    private void Loaded(string path, InferenceSession session) =>
        OnnxModelHostLog.ModelLoaded(_logger, path, _provider,
            string.Join(", ", session.InputMetadata.Select(m => $"{m.Key} [{string.Join(',', m.Value.Dimensions)}]")),
            string.Join(", ", session.OutputMetadata.Select(m => $"{m.Key} [{string.Join(',', m.Value.Dimensions)}]")));

    private SessionOptions MakeSessionOptions()
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (_options.IntraOpThreads > 0) options.IntraOpNumThreads = _options.IntraOpThreads;
        // Runs come once per 40 ms tick, not back to back: threads that spin-wait for the next run after each one only
        // burn the cores the rooms' render and encode need (measured: most of a lip-synced frame's CPU on 2 cores).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
        return options;
    }

    internal static Dictionary<string, ModelTensorInfo> Describe(IReadOnlyDictionary<string, NodeMetadata> metadata) =>
        metadata.ToDictionary(
            m => m.Key,
            m => new ModelTensorInfo(
                m.Value.IsTensor ? m.Value.ElementDataType.ToString() : m.Value.OnnxValueType.ToString(),
                m.Value.IsTensor && m.Value.ElementDataType == TensorElementType.Float,
                m.Value.Dimensions));
}
