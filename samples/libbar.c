/* libbar.so: one initialized TLS variable (.tdata) and one zeroed (.tbss) in its own TLS block. */
__thread int BAR = 100;
__thread int BAZ;
