# frozen_string_literal: true

require 'ffi'
require 'json'

module TaskerCore
  # The native layer: libtasker.so through the ffi gem. Every call that can wait is attached with
  # `blocking: true` so the GVL is released while Java runs; every filled tasker_buf is freed in
  # `ensure`; non-zero statuses become TaskerCore::Errors exceptions.
  module Native
    # Where the packaged library, jar and AOT cache live inside the installed gem.
    VENDOR_DIR = File.expand_path('vendor', __dir__)
    LIBRARY_NAME = 'libtasker.so'

    # typedef struct { uint8_t* ptr; size_t len; } tasker_buf;
    class Buf < FFI::Struct
      layout :ptr, :pointer, :len, :size_t
    end

    # The attached functions; filled in by Native.load!.
    module Lib
      extend FFI::Library
    end

    @mutex = Mutex.new
    @library_path = nil

    class << self
      attr_reader :library_path

      # The packaged libtasker.so, else $TASKER_LIBRARY (development); nil when neither exists.
      def find_library
        packaged = File.join(VENDOR_DIR, LIBRARY_NAME)
        return packaged if File.file?(packaged)

        env = ENV.fetch('TASKER_LIBRARY', '')
        env.empty? ? nil : env
      end

      # The jar(s) the embedded JVM needs: packaged, else $TASKER_CLASSPATH (':'-separated).
      def find_classpath
        packaged = Dir.glob(File.join(VENDOR_DIR, '*.jar'))
        return packaged.sort unless packaged.empty?

        ENV.fetch('TASKER_CLASSPATH', '').split(File::PATH_SEPARATOR).reject(&:empty?)
      end

      # The AOT cache shipped with the gem (or $TASKER_AOT_CACHE), when there is one.
      def find_aot_cache
        packaged = File.join(VENDOR_DIR, 'tasker.aot')
        return packaged if File.file?(packaged)

        env = ENV.fetch('TASKER_AOT_CACHE', '')
        env.empty? || !File.file?(env) ? nil : env
      end

      # Loads the library once and checks its ABI version; raises LibraryError naming what it tried.
      def load!
        @mutex.synchronize do
          return if @library_path

          path = find_library
          unless path && File.file?(path)
            raise Errors::LibraryError,
                  "libtasker.so not found: looked in #{VENDOR_DIR} (installed gem) and " \
                  "TASKER_LIBRARY=#{ENV['TASKER_LIBRARY'].inspect}"
          end
          attach(path)
          version = Lib.tasker_abi_version
          if version != ABI_VERSION
            raise Errors::LibraryError,
                  "#{path} implements C ABI version #{version}; this gem needs #{ABI_VERSION}"
          end
          @library_path = path
        end
      end

      def loaded?
        !@library_path.nil?
      end

      # Calls a tasker_* function whose last argument is a tasker_buf; returns the parsed JSON of
      # the buffer (nil when empty). Raises the mapped error on a non-zero status.
      def call(function, *args, parse: true)
        load! unless @library_path
        buf = Buf.new
        begin
          status = Lib.public_send(function, *args, buf)
          text = buf[:len].zero? || buf[:ptr].null? ? nil : buf[:ptr].read_bytes(buf[:len]).force_encoding(Encoding::UTF_8)
        ensure
          Lib.tasker_buf_free(buf)
        end
        document = text && (parse || !status.zero?) ? parse_json(text, function) : text
        raise Errors.from_status(status, document, function) unless status.zero?

        document
      end

      # Calls a function that takes one JSON document (pointer + length) and fills a buffer.
      def call_json(function, payload, parse: true)
        bytes = payload.is_a?(String) ? payload : JSON.generate(payload)
        input = FFI::MemoryPointer.new(:uint8, bytes.bytesize.nonzero? || 1)
        input.put_bytes(0, bytes)
        call(function, input, bytes.bytesize, parse: parse)
      end

      def log(level, payload)
        load! unless @library_path
        bytes = JSON.generate(payload)
        input = FFI::MemoryPointer.new(:uint8, bytes.bytesize)
        input.put_bytes(0, bytes)
        Lib.tasker_log(level, input, bytes.bytesize)
      end

      private

      def parse_json(text, function)
        JSON.parse(text)
      rescue JSON::ParserError => e
        raise Errors::InternalError.new("#{function} returned malformed JSON: #{e.message}", code: -99)
      end

      def attach(path)
        Lib.ffi_lib(path)
        Lib.attach_function :tasker_abi_version, [], :int32
        Lib.attach_function :tasker_init, %i[pointer size_t pointer], :int32, blocking: true
        Lib.attach_function :tasker_worker_start, %i[pointer size_t pointer], :int32, blocking: true
        Lib.attach_function :tasker_worker_stop, %i[uint32 pointer], :int32, blocking: true
        Lib.attach_function :tasker_worker_status, %i[pointer], :int32, blocking: true
        Lib.attach_function :tasker_poll, %i[uint32 uint32 pointer], :int32, blocking: true
        Lib.attach_function :tasker_complete, %i[pointer size_t pointer], :int32, blocking: true
        Lib.attach_function :tasker_checkpoint, %i[pointer size_t pointer], :int32, blocking: true
        Lib.attach_function :tasker_client, %i[pointer size_t pointer], :int32, blocking: true
        Lib.attach_function :tasker_log, %i[int32 pointer size_t], :int32, blocking: true
        Lib.attach_function :tasker_buf_free, %i[pointer], :void
        Lib.attach_function :tasker_shutdown, [], :int32, blocking: true
      rescue LoadError, FFI::NotFoundError => e
        raise Errors::LibraryError, "cannot load #{path}: #{e.message}"
      end
    end
  end
end
